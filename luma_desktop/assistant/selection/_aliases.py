"""The business vocabulary of tool selection, as data: stop words, phrases, synonyms, domains.

Tool metadata speaks in the catalog's words (appointment, invoice, payee); people speak in
theirs ("book her in for a cut", "has she paid", "who owes me"). Synonyms add the catalog's
words to a request, with a lower weight than the words actually said, so they widen recall
without drowning the request. Every entry is general business language, never one request.
"""

from __future__ import annotations

__all__ = ["DOMAIN_KEYWORDS", "PHRASES", "STOPWORDS", "SYNONYMS"]

_STOPWORDS = """
    a an the and or but nor so then than if as of to in on at by for with from into onto about
    i me my mine myself we us our ours you your yours he him his she her hers they them their
    it its this that these those there here what which who whom whose when where why how
    is are was were be been being am do does did doing have has having had ca can could would
    should will wo shall may might must let lets
    please um uh er erm hmm oh ah hey hi hello luma okay ok well also too very really actually
    just like kind sort bit thing things something anything stuff one ones some any all each
    every both either other another same such own more most much many few lot lots
    now today again still already yet ever up down back over out
    go going gone get got gets getting give gives make makes made want wants wanted need needs
    know think see say said tell look looks
    yes no not
"""
STOPWORDS = frozenset(_STOPWORDS.split())
"""Words that say nothing about which tool is meant (kept inside phrases and synonyms)."""

_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"

PHRASES: dict[str, str] = {
    "no show|no-show|noshow|not turn up|not show up|not show|not come": "noshow",
    "not paid|not pay|unpaid|not settled": "unpaid",
    "not been in|not been|not seen|not visited|not come in|not come back|lapsed": "lapsed",
    "not reconciled|unreconciled|not matched|unmatched": "unreconciled",
    "to do|to-do|todo|todos": "todo",
    "e mail|e-mail|email": "email",
    "wait list|waiting list|waitlist": "waitlist",
    "day off|days off|time off": "dayoff",
    "told you|tell you|you know about|you remember|memories|memory": "recall",
    "booking link|booking page": "bookinglink",
    "standing order|direct debit": "standingorder",
    # what a business sells: its own words, one concept for retrieval
    "service|services|cut|haircut|trim|beard trim|colour|color|balayage|highlights|facial|"
    "massage|manicure|pedicure|nails|wax|waxing|blow dry|blow-dry|blowdry|perm|lashes|brows|"
    "consultation": "service",
    # a stretch of time: tells that a request covers a period, not which tool it is for
    "last week|this week|next week|last month|this month|next month|last year|this year|"
    "next year|last quarter|this quarter|next quarter|so far": "period",
    # a day or a time of day: tells that a request is dated, not which tool it is for
    f"{_DAYS}|{_MONTHS}|tomorrow|yesterday|tonight|weekend|morning|afternoon|evening|noon|"
    "midday|datetime": "datetime",
}
"""Fixed phrases and word families joined into one term, in tool metadata and requests."""

SYNONYMS: dict[str, str] = {
    # what people do with any record
    "which|list|show|all|any": "list",
    "draft|write|make|new|add|prepare|put together|set up|create": "create",
    "find|search|look up|look for|who is": "search find",
    "delete|remove|get rid|drop|bin|erase|take off|for good": "delete remove",
    "edit|change|amend|fix|update|lines": "change update",
    # scheduling
    "service|treatment|styling": "appointment book",
    "book|booking|appointment|appt|session|visit": "appointment book",
    "pencil in|squeeze in|fit in|put in|get booked|booked in": "book appointment",
    "move|shift|push|bump|rearrange|postpone|bring forward|instead|change time|earlier|later": (
        "reschedule move"
    ),
    "cancel|call off|scrap|can't make|cannot make": "cancel",
    "free|available|availability|space|gap|opening|opens|slot": "free slot availability",
    "diary|agenda|rundown|busy|packed|schedule|look like|on today|got on": "agenda day summary",
    "noshow|turn up|turned up|show up|showed up|never came|never showed": "noshow",
    "done|finished|complete|completed|over|tick off": "complete done",
    "confirm|approve|accept": "confirm",
    "holiday|holidays|vacation|leave|dayoff|closed|sick|dentist|training|away|off": "block",
    "unblock|free up": "unblock remove block",
    "hours|works|working|rota|shift|start|starting": "working hours",
    "room|rooms|chair|chairs|bed|station|equipment|sauna|sunbed|basin": "resource",
    "out of use|out of order|broken|switch off|switch on|turn off|holds|capacity": "resource",
    "rename": "rename title",
    "link|url|page|website|online": "link bookinglink",
    "waiting|waitlist|opens up|cancellation": "waitlist",
    # clients
    "customer|customers|guest|patient|punter|person|contact|contacts|people": "client",
    "details|profile|number|phone|address|contact|pull up|tell me about": "profile contact phone",
    "history|before|past|timeline|hear from|had done|last time|everything": "history",
    "vip|loyal|engaged|engagement|regular|score|best|top|spender|spenders": "engagement vip",
    "how often|often|frequency|frequently": "engagement frequency",
    "export|download|spreadsheet|backup|csv|json": "export file",
    "import|upload|bring in|load|file": "import file",
    "merge|combine|duplicate|duplicates|same person|twice": "merge duplicate",
    "tag|tags|label|labels|tagged": "tag",
    "note|notes|jot|jot down|write down|write on|note down|note to self": "note",
    "on file|on record|on his file|on her file|on his record|on her record|on their record": "note",
    "lead|leads|prospect|prospects": "lead",
    "lapsed|inactive|been in|last visit": "visited lapsed",
    "looks after|look after|assigned|assign|give to|hand to": "staff member assignee",
    # invoicing
    "bill|charge|invoice|invoices": "invoice",
    "paid|pay|settle|settled|payment|paying": "paid payment",
    "owe|owes|owed|owing|outstanding|overdue|late|debt|unpaid": "overdue unpaid",
    "left to pay|still owe|remaining|left": "balance",
    "pending|unconfirmed|awaiting|to be confirmed|request|requests": "requested",
    "chase|chasing|nudge|remind": "reminder",
    "void|scrap|annul|mistake": "void",
    "vat|tax|taxes|hmrc": "vat tax",
    "revenue|income|takings|turnover|sales|earnings|earned|bring in|brought in": (
        "revenue invoiced received"
    ),
    "quote|quotes|quotation|estimate|estimates|price up|pricing|proposal|package": "quote",
    "accepted|said yes|agreed|convert|turn into": "convert accepted",
    "due|deadline": "due",
    "send|issue|mail|send over": "send email",
    # banking
    "balance|bank|account|savings|current account|funds|afford|money|cash": "balance account",
    "spend|spent|spending|expenses|outgoings|costs|came in|go out|went out|paid out": "transaction",
    "statement|statements|accountant": "statement",
    "reconcile|reconciled|match|matched|unmatched": "reconcile match",
    "categorise|categorize|category|file under|under|bookkeeping": "category",
    "rent|supplies|stock|travel|utilities|fuel|wages|insurance|marketing|equipment": "category",
    "payee|payees|supplier|vendor|recipient|landlord|cleaner": "payee",
    "pay|send money|transfer to": "pay payee",
    "every|weekly|monthly|yearly|recurring|standingorder|a week|a month": "schedule repeat",
    "transfer|top up|reserve|savings": "transfer account",
    "grand|quid|pounds|bucks|dollars|euros": "amount",
    "lost|stolen|freeze|block card|stop spending|stop all": "freeze card",
    "unfreeze|reactivate|turn back on|back on": "unfreeze card",
    # tasks, notes, reminders
    "todo|task|tasks|job|jobs|chore|chores|my list|on my list": "task todo",
    "remind me|reminder|reminders|don't let me forget|forget|nudge me": "reminder remind",
    "snooze|later|again in|remind again|until": "snooze",
    "priority|urgent|important|asap": "priority",
    # search and the assistant
    "anything|everything|mentioning": "search everything",
    "undo|take back|take that back|reverse|revert|oops|go back|scratch that": "undo",
}
"""Words people use (``|``-separated, phrases allowed) → the catalog's words they stand for."""

DOMAIN_KEYWORDS: dict[str, str] = {
    "scheduling": "appointment booking diary calendar slot",
    "clients": "client customer profile",
    "invoicing": "invoice bill",
    "banking": "bank account money",
    "tasks": "task todo",
    "search": "search find",
    "assistant": "assistant",
}
"""Words every tool of a domain answers to, besides its own metadata."""

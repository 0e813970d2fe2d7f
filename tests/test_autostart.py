"""Start at login on the three desktops: the XDG autostart entry for real (in a temporary
XDG_CONFIG_HOME), the macOS LaunchAgent file and the Windows Run registry value (a fake
registry that behaves like winreg)."""

from __future__ import annotations

import plistlib
import shlex
import sys
from pathlib import Path

import pytest

from luma_desktop.errors import ConfigurationError
from luma_desktop.ui.autostart import (
    MAC_LABEL,
    RUN_KEY,
    RUN_VALUE,
    FakeWinreg,
    LinuxAutostart,
    MacAutostart,
    WindowsAutostart,
    autostart_entry,
    autostart_for,
    desktop_exec,
    launch_command,
)

COMMAND = ["/opt/Luma Desktop/bin/luma"]
PACKAGED = Path(__file__).resolve().parents[1] / "packaging" / "luma.desktop"


@pytest.fixture
def xdg(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "xdg-config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


def entries(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if "=" in line)


# -- Linux -----------------------------------------------------------------------------------------


def test_linux_entry_is_created_from_the_packaged_desktop_file_and_removed(xdg):
    autostart = LinuxAutostart()
    assert not autostart.is_enabled()
    autostart.enable(COMMAND)
    entry = xdg / "autostart" / "luma.desktop"
    assert autostart.location == str(entry)
    assert autostart.is_enabled()
    written = entries(entry)
    packaged = entries(PACKAGED)
    assert written["Exec"] == '"/opt/Luma Desktop/bin/luma"'
    assert (written["Hidden"], written["X-GNOME-Autostart-enabled"]) == ("false", "true")
    for key in ("Name", "Icon", "Type", "Comment", "StartupWMClass"):
        assert written[key] == packaged[key]
    assert list(entry.parent.iterdir()) == [entry]

    autostart.disable()
    assert not entry.exists()
    assert not autostart.is_enabled()
    autostart.disable()  # already off: nothing to do


def test_linux_entry_defaults_to_the_command_that_starts_luma(xdg):
    LinuxAutostart().enable()
    written = entries(xdg / "autostart" / "luma.desktop")
    assert shlex.split(written["Exec"]) == launch_command()


@pytest.mark.parametrize(
    ("lines", "enabled"),
    [
        pytest.param(["Exec=luma"], True, id="plain"),
        pytest.param(["Exec=luma", "Hidden=true"], False, id="hidden-by-the-desktop"),
        pytest.param(["Exec=luma", "X-GNOME-Autostart-enabled=false"], False, id="gnome-off"),
        pytest.param(["Name=Luma"], False, id="no-exec"),
    ],
)
def test_linux_entry_switched_off_by_the_desktop_counts_as_off(xdg, lines, enabled):
    entry = xdg / "autostart" / "luma.desktop"
    entry.parent.mkdir(parents=True)
    entry.write_text("\n".join(["[Desktop Entry]", "Type=Application", *lines]), "utf-8")
    assert LinuxAutostart().is_enabled() is enabled


def test_linux_entry_without_a_packaged_template_uses_the_built_in_one(tmp_path):
    autostart = LinuxAutostart(tmp_path / "cfg", template=tmp_path / "missing.desktop")
    autostart.enable(["luma"])
    written = entries(tmp_path / "cfg" / "autostart" / "luma.desktop")
    assert (written["Name"], written["Exec"], written["Type"]) == ("Luma", "luma", "Application")


def test_linux_entry_that_cannot_be_written_is_a_clear_error(tmp_path):
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "autostart").write_text("a file, not a folder", encoding="utf-8")
    autostart = LinuxAutostart(tmp_path / "cfg")
    with pytest.raises(ConfigurationError) as caught:
        autostart.enable(["luma"])
    assert caught.value.setting == "start_at_login"
    assert caught.value.message.startswith("Luma could not switch on starting at login (")
    assert not autostart.is_enabled()


def test_an_empty_command_is_refused(tmp_path):
    with pytest.raises(ConfigurationError, match="needs a program"):
        LinuxAutostart(tmp_path).enable([])


@pytest.mark.parametrize(
    ("command", "exec_line"),
    [
        pytest.param(["/usr/bin/luma"], "/usr/bin/luma", id="plain"),
        pytest.param(["/opt/My Apps/luma"], '"/opt/My Apps/luma"', id="space"),
        pytest.param(["luma", "--mode=$HOME"], 'luma "--mode=\\\\$HOME"', id="dollar"),
        pytest.param(["luma", "100%"], "luma 100%%", id="percent"),
        pytest.param(["luma", 'say "hi"'], 'luma "say \\\\"hi\\\\""', id="quotes"),
        pytest.param(["luma", ""], 'luma ""', id="empty-argument"),
    ],
)
def test_exec_lines_are_quoted_as_the_desktop_entry_spec_asks(command, exec_line):
    assert desktop_exec(command) == exec_line


def test_autostart_entry_replaces_exec_and_keeps_the_rest():
    text = autostart_entry("[Desktop Entry]\nName=Luma\nExec=old\nHidden=true\n", ["new"])
    assert text == (
        "[Desktop Entry]\nExec=new\nHidden=false\nX-GNOME-Autostart-enabled=true\nName=Luma\n"
    )


# -- macOS ---------------------------------------------------------------------------------------


def test_mac_launch_agent_runs_luma_at_login_and_is_removed(tmp_path):
    autostart = MacAutostart(tmp_path / "LaunchAgents")
    autostart.enable(["/Applications/Luma.app/Contents/MacOS/Luma"])
    plist = tmp_path / "LaunchAgents" / f"{MAC_LABEL}.plist"
    agent = plistlib.loads(plist.read_bytes())
    assert agent == {
        "Label": MAC_LABEL,
        "ProgramArguments": ["/Applications/Luma.app/Contents/MacOS/Luma"],
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    }
    assert autostart.is_enabled()
    plist.write_bytes(plistlib.dumps({**agent, "Disabled": True}))
    assert not autostart.is_enabled()
    autostart.disable()
    assert not plist.exists()


def test_mac_agent_that_is_not_a_plist_counts_as_off(tmp_path):
    plist = tmp_path / f"{MAC_LABEL}.plist"
    plist.write_text("garbage", encoding="utf-8")
    assert not MacAutostart(tmp_path).is_enabled()


# -- Windows -------------------------------------------------------------------------------------


def test_windows_run_value_holds_the_quoted_command_and_is_deleted():
    registry = FakeWinreg()
    autostart = WindowsAutostart(registry)
    assert not autostart.is_enabled()
    autostart.enable([r"C:\Program Files\Luma\luma.exe", "--hidden"])
    assert registry.value() == r'"C:\Program Files\Luma\luma.exe" --hidden'
    values = registry.keys[(FakeWinreg.HKEY_CURRENT_USER, RUN_KEY)]
    assert values[RUN_VALUE] == (registry.value(), FakeWinreg.REG_SZ)
    assert autostart.is_enabled()
    autostart.disable()
    assert registry.value() is None
    assert not autostart.is_enabled()
    autostart.disable()


def test_windows_keeps_other_programs_run_values():
    registry = FakeWinreg(
        keys={(FakeWinreg.HKEY_CURRENT_USER, RUN_KEY.upper()): {"OneDrive": ("od.exe", 1)}}
    )
    autostart = WindowsAutostart(registry)
    autostart.enable(["luma.exe"])
    autostart.disable()
    assert registry.keys == {
        (FakeWinreg.HKEY_CURRENT_USER, RUN_KEY.upper()): {"OneDrive": ("od.exe", 1)}
    }


def test_windows_registry_that_refuses_writes_is_a_clear_error():
    autostart = WindowsAutostart(FakeWinreg(read_only=True))
    with pytest.raises(ConfigurationError) as caught:
        autostart.enable(["luma.exe"])
    assert caught.value.setting == "start_at_login"
    assert "Access is denied" in caught.value.message
    assert RUN_KEY in caught.value.message


@pytest.mark.skipif(sys.platform == "win32", reason="the real registry exists on Windows")
def test_windows_without_a_registry_reports_off_and_refuses_to_switch_on():
    autostart = WindowsAutostart()
    assert not autostart.is_enabled()
    with pytest.raises(ConfigurationError, match="only on Windows"):
        autostart.enable(["luma.exe"])


@pytest.mark.parametrize(
    ("platform", "kind"),
    [
        pytest.param("linux", LinuxAutostart, id="linux"),
        pytest.param("freebsd14", LinuxAutostart, id="bsd"),
        pytest.param("darwin", MacAutostart, id="mac"),
        pytest.param("win32", WindowsAutostart, id="windows"),
    ],
)
def test_the_platform_picks_its_mechanism(platform, kind):
    assert type(autostart_for(platform)) is kind

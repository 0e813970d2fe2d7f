.pragma library

// Shared by the cards: line icons (24×24 SVG paths, drawn by Icon.qml), status colours and
// small text helpers. Pass the Theme singleton to the colour helpers.

var icons = {
    calendar: "M4.5 6.5h15v13h-15z M4.5 10.5h15 M8.5 4v4 M15.5 4v4",
    clock: "M12 4a8 8 0 1 0 0 16a8 8 0 1 0 0-16z M12 8v4.5l3 2",
    receipt: "M6 3.5h12v17l-3-2-3 2-3-2-3 2z M9 8h6 M9 11.5h6 M9 15h3.5",
    wallet: "M4 7.5h16v12H4z M4 7.5l12-3.5v3.5 M15.5 12.5h4.5v3h-4.5z",
    user: "M12 4.5a3.5 3.5 0 1 0 0 7a3.5 3.5 0 1 0 0-7z M5 20c0.8-3.6 3.6-5.5 7-5.5s6.2 1.9 7 5.5",
    users: "M9 5a3 3 0 1 0 0 6a3 3 0 1 0 0-6z M3.5 19c0.6-3 2.8-4.7 5.5-4.7s4.9 1.7 5.5 4.7 M16 5.3a3 3 0 0 1 0 5.6 M17.5 14.5c1.7 0.5 2.8 2 3 4.5",
    list: "M9 6.5h11 M9 12h11 M9 17.5h11 M4.5 6.5h0.5 M4.5 12h0.5 M4.5 17.5h0.5",
    alert: "M12 4l9 15.5H3z M12 10v4.5 M12 17.2v0.3",
    shield: "M12 3.5l7 2.5v5.5c0 4.5-3 7.7-7 9-4-1.3-7-4.5-7-9V6z M9 12l2.2 2.2L15.5 10",
    lock: "M6.5 11h11v9h-11z M8.5 11V8a3.5 3.5 0 0 1 7 0v3 M12 14.5v2",
    help: "M12 4a8 8 0 1 0 0 16a8 8 0 1 0 0-16z M9.6 9.6a2.5 2.5 0 1 1 3.4 2.3c-0.7 0.3-1 0.8-1 1.5v0.4 M12 16.6v0.3",
    steps: "M5 6.5h3 M5 12h3 M5 17.5h3 M11 6.5h8 M11 12h8 M11 17.5h8",
    check: "M5 12.5l4.5 4.5L19 7.5",
    cross: "M7 7l10 10 M17 7L7 17",
    pause: "M12 4a8 8 0 1 0 0 16a8 8 0 1 0 0-16z M10 9v6 M14 9v6",
    search: "M10.5 4a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13z M20 20l-4.8-4.8",
    retry: "M19.5 12a7.5 7.5 0 1 1-2.2-5.3 M19.5 4.5v4h-4",
    edit: "M4 20h4L19 9l-4-4L4 16z M13.5 6.5l4 4",
    arrowIn: "M17 7L7 17 M7 9.5V17h7.5",
    arrowOut: "M7 17L17 7 M9.5 7H17v7.5"
}

// The colour of a tone: success, warning, danger, accent, muted.
function toneColor(theme, tone) {
    switch (tone) {
    case "success": return theme.success
    case "warning": return theme.warning
    case "danger": return theme.danger
    case "accent": return theme.accent
    default: return theme.textMuted
    }
}

// Whether text on `color` should be dark (the colour is light).
function isLight(color) {
    return 0.2126 * color.r + 0.7152 * color.g + 0.0722 * color.b > 0.55
}

// "4:59" for a number of milliseconds (never negative).
function countdown(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000))
    var minutes = Math.floor(seconds / 60)
    var rest = seconds % 60
    return minutes + ":" + (rest < 10 ? "0" : "") + rest
}

// Whether a typed phrase is the confirmation phrase: case and spacing aside, exactly
// (as the gatekeeper's phrase_matches).
function phraseMatches(typed, phrase) {
    if (!phrase)
        return true
    var clean = function (text) { return String(text).trim().split(/\s+/).join(" ").toLowerCase() }
    return clean(typed) === clean(phrase)
}

// Whether an outcome reads as something that did not happen.
function negativeOutcome(text) {
    return /cancel|not done|expired|declined|failed|moved on|none of/i.test(String(text))
}

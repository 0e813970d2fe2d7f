pragma Singleton
import QtQuick

// Colours, sizes and fonts of every Luma window and card. `dark` and `fontScale` are bound
// by ChatWindow.qml to windowState.theme / windowState.fontScale; never hard-code colours.
QtObject {
    property bool dark: false
    property real fontScale: 1.0

    readonly property color background: dark ? "#1c1d21" : "#ffffff"
    readonly property color surface: dark ? "#25262b" : "#f5f5f7"
    readonly property color surfaceRaised: dark ? "#2c2e34" : "#ffffff"
    readonly property color surfaceHover: dark ? "#34363d" : "#ececf0"
    readonly property color border: dark ? "#3a3c44" : "#e3e3e8"
    readonly property color text: dark ? "#ececf1" : "#1a1a1f"
    readonly property color textMuted: dark ? "#a0a1ab" : "#6b6b76"
    readonly property color accent: dark ? "#8f8dfb" : "#5046e5"
    readonly property color accentSoft: dark ? "#34335a" : "#eeedfd"
    readonly property color accentText: "#ffffff"
    readonly property color userBubble: dark ? "#5b54e8" : "#5046e5"
    readonly property color assistantBubble: dark ? "#2a2b31" : "#f2f2f5"
    readonly property color success: dark ? "#34d399" : "#059669"
    readonly property color warning: dark ? "#fbbf24" : "#d97706"
    readonly property color danger: dark ? "#f87171" : "#dc2626"
    readonly property color focusRing: accent

    readonly property int radius: 14
    readonly property int radiusSmall: 8
    readonly property int spacing: 8
    readonly property int padding: 14

    readonly property string fontFamily: Qt.application.font.family
    readonly property int fontCaption: Math.round(11 * fontScale)
    readonly property int fontSmall: Math.round(12 * fontScale)
    readonly property int fontBody: Math.round(14 * fontScale)
    readonly property int fontTitle: Math.round(15 * fontScale)
    readonly property int fontHeading: Math.round(18 * fontScale)

    // The colour of a confirmation by its risk: low, medium, high, critical.
    function riskColor(risk) {
        switch (risk) {
        case "critical": return danger
        case "high": return dark ? "#fb923c" : "#ea580c"
        case "medium": return warning
        default: return success
        }
    }
}

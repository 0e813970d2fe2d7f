pragma Singleton
import QtQuick

// Line icons as SVG path data on a 24×24 grid (drawn by Icon.qml in the theme's colours).
QtObject {
    readonly property string send: "M12 19V5 M5.5 11.5L12 5l6.5 6.5"
    readonly property string mic: "M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3z M18.5 11a6.5 6.5 0 0 1-13 0 M12 17.5V21"
    readonly property string copy: "M9 9h10v10H9z M15 9V5H5v10h4"
    readonly property string thumbUp: "M7 10.5V20H4v-9.5z M7 10.5L11 4c1.6 0 2.6 1.2 2.3 2.8L12.8 10h5.4a2 2 0 0 1 2 2.4l-1.3 5.9A2.2 2.2 0 0 1 16.8 20H7"
    readonly property string thumbDown: "M17 13.5V4h3v9.5z M17 13.5L13 20c-1.6 0-2.6-1.2-2.3-2.8l0.5-3.2H5.8a2 2 0 0 1-2-2.4l1.3-5.9A2.2 2.2 0 0 1 7.2 4H17"
    readonly property string close: "M6 6l12 12 M18 6L6 18"
    readonly property string expand: "M14 4h6v6 M10 20H4v-6 M20 4l-6.5 6.5 M4 20l6.5-6.5"
    readonly property string collapse: "M4 14h6v6 M20 10h-6V4 M14 10l6.5-6.5 M10 14l-6.5 6.5"
    readonly property string pin: "M12 16v5 M8.5 3h7l-1 6 3.5 4H6l3.5-4z"
    readonly property string plus: "M12 5v14 M5 12h14"
    readonly property string search: "M10.5 4a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13z M20 20l-4.8-4.8"
    readonly property string archive: "M3.5 5h17v4h-17z M5 9v10h14V9 M10 13h4"
    readonly property string trash: "M4 7h16 M10 11v6 M14 11v6 M6 7l1 13h10l1-13 M9 7V4h6v3"
    readonly property string edit: "M4 20h4L19 9l-4-4L4 16z M13.5 6.5l4 4"
    readonly property string check: "M5 12.5l4.5 4.5L19 7.5"
    readonly property string spark: "M12 3l1.8 5.2L19 10l-5.2 1.8L12 17l-1.8-5.2L5 10l5.2-1.8z M18.5 16l0.7 2 2 0.7-2 0.7-0.7 2-0.7-2-2-0.7 2-0.7z"
}

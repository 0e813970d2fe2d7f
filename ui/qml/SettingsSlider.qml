import QtQuick
import QtQuick.Controls

// A slider in the theme's colours; `text` is its accessible name.
Slider {
    id: slider
    property string text
    focusPolicy: Qt.StrongFocus
    hoverEnabled: true
    implicitHeight: 28
    Accessible.role: Accessible.Slider
    Accessible.name: text

    background: Rectangle {
        x: slider.leftPadding
        y: slider.topPadding + slider.availableHeight / 2 - height / 2
        width: slider.availableWidth
        height: 4
        radius: 2
        color: Theme.dark ? "#4a4c55" : "#d4d4dc"
        Rectangle {
            width: slider.visualPosition * parent.width
            height: parent.height
            radius: 2
            color: Theme.accent
        }
    }
    handle: Rectangle {
        x: slider.leftPadding + slider.visualPosition * (slider.availableWidth - width)
        y: slider.topPadding + slider.availableHeight / 2 - height / 2
        width: 18
        height: 18
        radius: 9
        color: "#ffffff"
        border.width: slider.visualFocus ? 3 : 1
        border.color: slider.visualFocus ? Theme.focusRing : Theme.border
    }
}

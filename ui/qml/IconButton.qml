import QtQuick
import QtQuick.Controls

// A round, icon-only button with a tooltip; `text` is its accessible name and tooltip.
AbstractButton {
    id: button
    property string iconPath
    property color iconColor: checked ? Theme.accent : Theme.textMuted
    property real iconSize: 18

    implicitWidth: 32
    implicitHeight: 32
    focusPolicy: Qt.StrongFocus
    hoverEnabled: true
    display: AbstractButton.IconOnly
    Accessible.role: Accessible.Button
    Accessible.name: text

    ToolTip.visible: hovered && text.length > 0
    ToolTip.delay: 600
    ToolTip.text: text

    contentItem: Item {
        Icon {
            anchors.centerIn: parent
            path: button.iconPath
            size: button.iconSize
            color: button.enabled ? button.iconColor : Theme.border
        }
    }
    background: Rectangle {
        radius: width / 2
        color: button.down ? Theme.surfaceHover : (button.hovered || button.checked ? Theme.surface : "transparent")
        border.width: button.visualFocus ? 2 : 0
        border.color: Theme.focusRing
    }
}

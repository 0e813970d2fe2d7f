import QtQuick
import QtQuick.Controls
import ".."
import "card.js" as C

// A card's button: `primary` (filled with `tint`), `secondary` (outlined) or `quiet` (text
// only). Tab reaches it; Space, Enter and Return press it. `text` is its accessible name
// unless `accessibleName` says more.
Button {
    id: button
    property string kind: "secondary"
    property color tint: Theme.dark ? Theme.userBubble : Theme.accent
    property string iconPath
    property string accessibleName: text

    focusPolicy: Qt.StrongFocus
    hoverEnabled: true
    implicitHeight: Math.max(34, contentItem.implicitHeight + 14)
    leftPadding: kind === "quiet" ? 8 : 14
    rightPadding: kind === "quiet" ? 8 : 14
    opacity: enabled ? 1 : 0.45
    Accessible.role: Accessible.Button
    Accessible.name: accessibleName
    Keys.onReturnPressed: if (enabled) clicked()
    Keys.onEnterPressed: if (enabled) clicked()

    contentItem: Row {
        spacing: 6
        Icon {
            anchors.verticalCenter: parent.verticalCenter
            visible: button.iconPath.length > 0
            path: button.iconPath
            size: 15
            color: label.color
        }
        Label {
            id: label
            anchors.verticalCenter: parent.verticalCenter
            text: button.text
            font.pixelSize: Theme.fontSmall + 1
            font.weight: Font.DemiBold
            color: button.kind === "primary" ? (C.isLight(button.tint) ? "#1a1a1f" : "#ffffff")
                 : button.kind === "quiet" ? Theme.textMuted : Theme.text
        }
    }
    background: Rectangle {
        radius: Theme.radiusSmall + 2
        color: button.kind === "primary"
               ? (button.down ? Qt.darker(button.tint, 1.15) : button.hovered ? Qt.lighter(button.tint, 1.08) : button.tint)
               : button.kind === "quiet"
                 ? (button.hovered || button.down ? Theme.surfaceHover : "transparent")
                 : (button.down ? Theme.surfaceHover : button.hovered ? Theme.surface : Theme.surfaceRaised)
        border.width: button.kind === "secondary" ? 1 : 0
        border.color: Theme.border

        Rectangle {
            anchors.fill: parent
            anchors.margins: -3
            radius: parent.radius + 3
            color: "transparent"
            border.width: 2
            border.color: Theme.focusRing
            visible: button.visualFocus
        }
    }
}

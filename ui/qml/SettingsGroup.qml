import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A captioned, rounded box of related settings (SettingsRow / SettingsKeyRow children).
ColumnLayout {
    id: group
    property string title
    default property alias content: rows.data

    Layout.fillWidth: true
    Layout.leftMargin: 28
    Layout.rightMargin: 28
    spacing: 6

    Label {
        Layout.leftMargin: 4
        visible: group.title.length > 0
        text: group.title.toUpperCase()
        color: Theme.textMuted
        font.pixelSize: Theme.fontCaption
        font.weight: Font.DemiBold
        font.letterSpacing: 0.6
    }
    Rectangle {
        Layout.fillWidth: true
        implicitHeight: rows.implicitHeight + 8
        radius: Theme.radius
        color: Theme.surface
        border.color: Theme.border
        border.width: 1

        ColumnLayout {
            id: rows
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            anchors.topMargin: 4
            spacing: 0
        }
    }
}

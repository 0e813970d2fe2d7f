import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// One setting inside a SettingsGroup: label and explanation on the left, `side` controls on
// the right (switches, small buttons), `below` controls under them (fields, choices), then
// what is wrong with the value (red) or a note (muted, e.g. "set by LUMA_BRAIN").
ColumnLayout {
    id: row
    property string label
    property string description
    property string error
    property string note
    property bool divider: true
    property alias side: sideHolder.data
    default property alias below: belowHolder.data

    Layout.fillWidth: true
    spacing: 6

    Rectangle {
        Layout.fillWidth: true
        Layout.leftMargin: 16
        Layout.preferredHeight: 1
        visible: row.divider
        color: Theme.border
        opacity: 0.7
    }

    RowLayout {
        Layout.fillWidth: true
        Layout.leftMargin: 16
        Layout.rightMargin: 16
        Layout.topMargin: 6
        spacing: 12

        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            Label {
                Layout.fillWidth: true
                text: row.label
                color: Theme.text
                font.pixelSize: Theme.fontBody
                font.weight: Font.Medium
                wrapMode: Text.WordWrap
            }
            Label {
                Layout.fillWidth: true
                visible: row.description.length > 0
                text: row.description
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.WordWrap
                lineHeight: 1.1
            }
        }
        RowLayout {
            id: sideHolder
            Layout.alignment: Qt.AlignVCenter | Qt.AlignRight
            spacing: 8
        }
    }

    RowLayout {
        id: belowHolder
        Layout.fillWidth: true
        Layout.leftMargin: 16
        Layout.rightMargin: 16
        visible: children.length > 0
        spacing: 8
    }

    Label {
        objectName: "settingError"
        Layout.fillWidth: true
        Layout.leftMargin: 16
        Layout.rightMargin: 16
        visible: row.error.length > 0
        text: row.error
        color: Theme.danger
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.WordWrap
        Accessible.role: Accessible.AlertMessage
        Accessible.name: text
    }
    Label {
        Layout.fillWidth: true
        Layout.leftMargin: 16
        Layout.rightMargin: 16
        visible: row.note.length > 0
        text: row.note
        color: Theme.warning
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.WordWrap
    }
    Item { Layout.preferredHeight: 6 }
}

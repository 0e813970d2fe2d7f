import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import "cards"

// One API key (a row of `keys.keys`): where it comes from, a field to paste a new one (stored
// in the OS keyring, never shown again) and Remove. The value is never displayed.
ColumnLayout {
    id: row
    property var entry: ({})
    property bool divider: true
    readonly property bool stored: entry.source === "keyring"
    readonly property bool fromEnvironment: entry.source === "environment"

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
                text: row.entry.title
                color: Theme.text
                font.pixelSize: Theme.fontBody
                font.weight: Font.Medium
            }
            Label {
                Layout.fillWidth: true
                text: row.entry.description
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.WordWrap
            }
        }
        Rectangle {
            objectName: "keyStatus_" + row.entry.name
            Layout.alignment: Qt.AlignTop
            implicitWidth: statusRow.implicitWidth + 18
            implicitHeight: 24
            radius: 12
            color: row.entry.source === "missing" ? Theme.background : Theme.accentSoft
            border.color: Theme.border
            border.width: row.entry.source === "missing" ? 1 : 0
            Accessible.role: Accessible.StaticText
            Accessible.name: row.entry.title + ": " + row.entry.status
            Row {
                id: statusRow
                anchors.centerIn: parent
                spacing: 6
                Rectangle {
                    anchors.verticalCenter: parent.verticalCenter
                    width: 7
                    height: 7
                    radius: 4
                    color: row.entry.source === "missing" ? Theme.textMuted : Theme.success
                }
                Label {
                    text: row.stored ? "In keyring" : row.fromEnvironment ? "From environment" : "Not set"
                    color: row.entry.source === "missing" ? Theme.textMuted : Theme.text
                    font.pixelSize: Theme.fontCaption
                    font.weight: Font.Medium
                }
            }
        }
    }
    RowLayout {
        Layout.fillWidth: true
        Layout.leftMargin: 16
        Layout.rightMargin: 16
        spacing: 8
        SettingsField {
            id: input
            objectName: "keyInput_" + row.entry.name
            Layout.fillWidth: true
            echoMode: TextInput.Password
            passwordCharacter: "•"
            placeholderText: row.stored ? "Paste a new key to replace the stored one" : "Paste your key"
            accessibleName: row.entry.title + " key (stored in the OS keyring)"
            enabled: !keys.busy
            onAccepted: saveButton.clicked()
        }
        CardButton {
            id: saveButton
            objectName: "keySave_" + row.entry.name
            kind: "primary"
            text: "Save"
            accessibleName: "Save the " + row.entry.title + " key in the OS keyring"
            enabled: input.text.length > 0 && !keys.busy
            onClicked: {
                if (keys.store(row.entry.name, input.text))
                    input.clear()
            }
        }
        CardButton {
            objectName: "keyRemove_" + row.entry.name
            kind: "quiet"
            visible: row.stored
            text: "Remove"
            accessibleName: "Remove the " + row.entry.title + " key from the OS keyring"
            enabled: !keys.busy
            onClicked: keys.remove(row.entry.name)
        }
    }
    Label {
        objectName: "keyError_" + row.entry.name
        Layout.fillWidth: true
        Layout.leftMargin: 16
        Layout.rightMargin: 16
        visible: text.length > 0
        text: row.entry.error || ""
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
        visible: row.fromEnvironment
        text: "The environment variable " + row.entry.name + " wins over the keyring while it is set."
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.WordWrap
    }
    Item { Layout.preferredHeight: 6 }
}

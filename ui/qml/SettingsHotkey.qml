import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import "cards"

// Choosing the global hotkey: the current one as key caps, suggested ones, and "Record": the
// next key combination pressed becomes the hotkey (Esc cancels). Uses `preferences`.
ColumnLayout {
    id: picker
    property bool recording: false
    spacing: 10

    function startRecording() {
        recording = true
        recorder.forceActiveFocus(Qt.OtherFocusReason)
    }

    Rectangle {
        id: recorder
        objectName: "hotkeyRecorder"
        Layout.fillWidth: true
        implicitHeight: 64
        radius: Theme.radius
        color: picker.recording ? Theme.accentSoft : Theme.background
        border.width: picker.recording || activeFocus ? 2 : 1
        border.color: picker.recording || activeFocus ? Theme.accent : Theme.border
        activeFocusOnTab: true
        Accessible.role: Accessible.Button
        Accessible.name: picker.recording ? "Recording: press the new hotkey, or Escape to cancel"
                                          : "Hotkey: " + preferences.hotkey + ". Press Enter to record a new one."
        Keys.onPressed: event => {
            if (!picker.recording) {
                if (event.key === Qt.Key_Return || event.key === Qt.Key_Enter || event.key === Qt.Key_Space) {
                    picker.startRecording()
                    event.accepted = true
                }
                return
            }
            event.accepted = true
            if (event.key === Qt.Key_Escape && event.modifiers === Qt.NoModifier) {
                picker.recording = false
                return
            }
            const text = preferences.hotkeyText(event.key, event.modifiers)
            if (text.length === 0)
                return
            preferences.setHotkey(text)
            picker.recording = false
        }
        onActiveFocusChanged: if (!activeFocus) picker.recording = false

        TapHandler { onTapped: picker.startRecording() }

        Row {
            anchors.centerIn: parent
            spacing: 6
            visible: !picker.recording
            Repeater {
                model: preferences.hotkeyKeys
                delegate: Rectangle {
                    required property string modelData
                    implicitWidth: Math.max(36, capLabel.implicitWidth + 22)
                    implicitHeight: 36
                    radius: 8
                    color: Theme.border
                    Rectangle {
                        anchors.fill: parent
                        anchors.bottomMargin: 3
                        radius: 8
                        color: Theme.surfaceRaised
                        border.color: Theme.border
                        Label {
                            id: capLabel
                            anchors.centerIn: parent
                            text: modelData
                            color: Theme.text
                            font.pixelSize: Theme.fontBody
                            font.weight: Font.DemiBold
                        }
                    }
                }
            }
        }
        Label {
            anchors.centerIn: parent
            visible: picker.recording
            text: "Press the keys now…  (Esc cancels)"
            color: Theme.accent
            font.pixelSize: Theme.fontBody
            font.weight: Font.Medium
        }
    }

    Flow {
        Layout.fillWidth: true
        spacing: 6
        Repeater {
            model: preferences.hotkeyPresets
            delegate: AbstractButton {
                id: preset
                required property var modelData
                readonly property bool selected: modelData.value === preferences.hotkeySetting
                objectName: "hotkeyPreset_" + modelData.label
                text: modelData.label
                focusPolicy: Qt.StrongFocus
                hoverEnabled: true
                implicitWidth: presetLabel.implicitWidth + 24
                implicitHeight: 30
                Accessible.role: Accessible.RadioButton
                Accessible.name: "Use " + modelData.label
                Accessible.checkable: true
                Accessible.checked: selected
                onClicked: preferences.setHotkey(modelData.value)
                Keys.onReturnPressed: preferences.setHotkey(modelData.value)
                contentItem: Label {
                    id: presetLabel
                    text: preset.text
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                    color: preset.selected ? Theme.accent : Theme.text
                    font.pixelSize: Theme.fontSmall
                    font.weight: preset.selected ? Font.DemiBold : Font.Normal
                }
                background: Rectangle {
                    radius: height / 2
                    color: preset.selected ? Theme.accentSoft : preset.hovered ? Theme.surfaceHover : "transparent"
                    border.width: preset.visualFocus ? 2 : 1
                    border.color: preset.visualFocus || preset.selected ? Theme.accent : Theme.border
                }
            }
        }
        CardButton {
            objectName: "hotkeyRecord"
            kind: "quiet"
            text: "Record your own…"
            accessibleName: "Record your own hotkey"
            onClicked: picker.startRecording()
        }
    }

    Label {
        objectName: "hotkeyError"
        Layout.fillWidth: true
        visible: text.length > 0
        text: preferences.hotkeyError
        color: Theme.danger
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.WordWrap
        Accessible.role: Accessible.AlertMessage
        Accessible.name: text
    }
    Label {
        Layout.fillWidth: true
        text: preferences.waylandSession
              ? "This is a Wayland session: apps cannot listen for keys everywhere. Use the tray icon, or Ctrl+K inside Luma's window."
              : "Works from any app. Inside Luma's window, Ctrl+K also jumps to the message box."
        color: preferences.waylandSession ? Theme.warning : Theme.textMuted
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.WordWrap
    }
}

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Quick-action chips, the auto-growing input (Enter sends, Shift+Enter adds a line), the mic
// (hold to talk; a ring shows the level) and the send button.
ColumnLayout {
    id: composer

    signal micPressed()
    signal micReleased()
    property real level: 0
    property bool listening: false
    property bool micAvailable: false
    property string micUnavailableReason: ""
    readonly property alias text: input.text

    function focusInput() {
        input.forceActiveFocus()
    }
    function insertText(value) {
        input.text = value
        input.cursorPosition = value.length
        focusInput()
    }
    function submit() {
        if (chat.send(input.text))
            input.clear()
    }

    spacing: 6

    Flow {
        id: chips
        objectName: "chips"
        Layout.fillWidth: true
        Layout.leftMargin: Theme.padding
        Layout.rightMargin: Theme.padding
        Layout.topMargin: 6
        spacing: 6

        Repeater {
            model: contextBar.chips
            delegate: AbstractButton {
                id: chip
                required property var modelData
                required property int index
                objectName: "chip" + index
                text: modelData.label
                focusPolicy: Qt.StrongFocus
                hoverEnabled: true
                implicitWidth: chipLabel.implicitWidth + 20
                implicitHeight: chipLabel.implicitHeight + 10
                Accessible.role: Accessible.Button
                Accessible.name: modelData.send ? "Ask: " + modelData.text : "Start: " + modelData.text
                onClicked: modelData.send ? chat.send(modelData.text) : composer.insertText(modelData.text)

                contentItem: Label {
                    id: chipLabel
                    text: chip.text
                    color: Theme.accent
                    font.pixelSize: Theme.fontSmall
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                }
                background: Rectangle {
                    radius: height / 2
                    color: chip.down || chip.hovered ? Theme.accentSoft : "transparent"
                    border.color: chip.visualFocus ? Theme.focusRing : Theme.border
                    border.width: chip.visualFocus ? 2 : 1
                }
            }
        }
    }

    Rectangle {
        Layout.fillWidth: true
        Layout.leftMargin: 10
        Layout.rightMargin: 10
        Layout.preferredHeight: Math.max(44, scroller.height + 12)
        radius: Theme.radius
        color: Theme.surface
        border.color: input.activeFocus ? Theme.accent : Theme.border
        border.width: 1

        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 6
            anchors.rightMargin: 6
            spacing: 4

            ScrollView {
                id: scroller
                Layout.fillWidth: true
                Layout.alignment: Qt.AlignVCenter
                Layout.preferredHeight: Math.min(input.implicitHeight, 140)
                ScrollBar.horizontal.policy: ScrollBar.AlwaysOff

                TextArea {
                    id: input
                    objectName: "composerInput"
                    placeholderText: chat.ready ? "Ask Luma anything…" : "Luma is starting — you can type already"
                    wrapMode: TextEdit.Wrap
                    color: Theme.text
                    placeholderTextColor: Theme.textMuted
                    font.pixelSize: Theme.fontBody
                    selectByMouse: true
                    background: null
                    Accessible.role: Accessible.EditableText
                    Accessible.name: "Message to Luma. Enter sends, Shift+Enter adds a line."
                    // Tab moves on (a tab character is no use in a chat message).
                    Keys.onTabPressed: event => {
                        input.nextItemInFocusChain(true).forceActiveFocus(Qt.TabFocusReason)
                        event.accepted = true
                    }
                    Keys.onBacktabPressed: event => {
                        input.nextItemInFocusChain(false).forceActiveFocus(Qt.BacktabFocusReason)
                        event.accepted = true
                    }
                    Keys.onPressed: event => {
                        if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                                && !(event.modifiers & Qt.ShiftModifier)) {
                            composer.submit()
                            event.accepted = true
                        }
                    }
                }
            }

            AbstractButton {
                id: micButton
                objectName: "micButton"
                Layout.alignment: Qt.AlignVCenter
                implicitWidth: 34
                implicitHeight: 34
                enabled: composer.micAvailable
                focusPolicy: Qt.StrongFocus
                hoverEnabled: true
                text: !composer.micAvailable ? composer.micUnavailableReason
                      : composer.listening ? "Listening — release to send" : "Hold to talk"
                Accessible.role: Accessible.Button
                Accessible.name: text
                ToolTip.visible: hovered
                ToolTip.delay: 600
                ToolTip.text: text
                onPressed: composer.micPressed()
                onReleased: composer.micReleased()
                onCanceled: composer.micReleased()

                contentItem: Item {
                    Rectangle {
                        anchors.centerIn: parent
                        width: 24 + 10 * composer.level
                        height: width
                        radius: width / 2
                        visible: composer.listening
                        color: Theme.accentSoft
                        border.color: Theme.accent
                        border.width: 1
                    }
                    Icon {
                        anchors.centerIn: parent
                        path: Icons.mic
                        size: 18
                        color: composer.listening ? Theme.accent
                               : micButton.enabled ? Theme.textMuted : Theme.border
                    }
                }
                background: Rectangle {
                    radius: width / 2
                    color: micButton.hovered && micButton.enabled ? Theme.surfaceHover : "transparent"
                    border.width: micButton.visualFocus ? 2 : 0
                    border.color: Theme.focusRing
                }
            }

            AbstractButton {
                id: sendButton
                objectName: "sendButton"
                Layout.alignment: Qt.AlignVCenter
                implicitWidth: 34
                implicitHeight: 34
                enabled: input.text.trim().length > 0
                focusPolicy: Qt.StrongFocus
                text: "Send (Enter)"
                Accessible.role: Accessible.Button
                Accessible.name: text
                onClicked: composer.submit()

                contentItem: Item {
                    Icon {
                        anchors.centerIn: parent
                        path: Icons.send
                        size: 18
                        strokeWidth: 2.2
                        color: sendButton.enabled ? Theme.accentText : Theme.textMuted
                    }
                }
                background: Rectangle {
                    radius: width / 2
                    color: sendButton.enabled ? Theme.accent : Theme.surfaceHover
                    border.width: sendButton.visualFocus ? 2 : 0
                    border.color: Theme.focusRing
                }
            }
        }
    }
}

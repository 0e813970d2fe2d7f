import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Window
import "SettingsIcons.js" as SettingsIcons

// The floating chat window: frameless and rounded, dragged by its header; expanded it shows the
// conversation list. Layout only: state lives in the Python objects `chat`, `conversations`,
// `contextBar`, `greeter`, `windowState`, `mic` and `shell` (see ui/README.md).
Window {
    id: window
    objectName: "chatWindow"
    title: "Luma"
    color: "transparent"
    minimumWidth: 340
    minimumHeight: 420
    flags: Qt.Window | Qt.FramelessWindowHint | (windowState.alwaysOnTop ? Qt.WindowStaysOnTopHint : 0)

    Binding {
        target: Theme
        property: "dark"
        value: windowState.theme === "dark"
               || (windowState.theme === "system" && Qt.styleHints.colorScheme === Qt.ColorScheme.Dark)
    }
    Binding {
        target: Theme
        property: "fontScale"
        value: windowState.fontScale
    }

    function focusComposer() {
        composer.focusInput()
    }

    Shortcut {
        sequence: "Ctrl+K"
        onActivated: window.focusComposer()
    }
    Shortcut {
        sequence: "Esc"
        onActivated: shell.hideWindow()
    }
    Shortcut {
        sequence: "Ctrl+,"
        onActivated: if (typeof settingsWindow !== "undefined") settingsWindow.show()
    }
    Shortcut {
        sequence: "Ctrl+N"
        onActivated: chat.newConversation()
    }
    Shortcut {
        sequence: "Ctrl+E"
        onActivated: windowState.expanded = !windowState.expanded
    }

    Rectangle {
        id: frame
        objectName: "frame"
        anchors.fill: parent
        radius: Theme.radius
        color: Theme.background
        border.color: Theme.border
        border.width: 1

        ColumnLayout {
            anchors.fill: parent
            anchors.margins: 1
            spacing: 0

            Item {
                id: header
                objectName: "header"
                Layout.fillWidth: true
                Layout.preferredHeight: 52

                DragHandler {
                    target: null
                    onActiveChanged: if (active) window.startSystemMove()
                }
                TapHandler {
                    onDoubleTapped: windowState.expanded = !windowState.expanded
                }

                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: Theme.padding
                    anchors.rightMargin: 8
                    spacing: 4

                    Rectangle {
                        Layout.preferredWidth: 28
                        Layout.preferredHeight: 28
                        radius: 14
                        gradient: Gradient {
                            GradientStop { position: 0; color: Theme.accent }
                            GradientStop { position: 1; color: Qt.lighter(Theme.accent, 1.35) }
                        }
                        Icon {
                            anchors.centerIn: parent
                            path: Icons.spark
                            size: 16
                            strokeWidth: 1.6
                            color: Theme.accentText
                        }
                    }
                    ColumnLayout {
                        Layout.leftMargin: 6
                        spacing: 0
                        Label {
                            text: "Luma"
                            color: Theme.text
                            font.pixelSize: Theme.fontTitle
                            font.weight: Font.DemiBold
                        }
                        Label {
                            objectName: "status"
                            text: chat.status
                            color: chat.ready ? Theme.textMuted : Theme.warning
                            font.pixelSize: Theme.fontCaption
                            Accessible.name: "Status: " + text
                        }
                    }
                    Item { Layout.fillWidth: true }
                    IconButton {
                        objectName: "newConversationButton"
                        text: "New conversation (Ctrl+N)"
                        iconPath: Icons.plus
                        onClicked: chat.newConversation()
                    }
                    IconButton {
                        objectName: "expandButton"
                        text: windowState.expanded ? "Compact window (Ctrl+E)" : "Show conversations (Ctrl+E)"
                        iconPath: windowState.expanded ? Icons.collapse : Icons.expand
                        onClicked: windowState.expanded = !windowState.expanded
                    }
                    IconButton {
                        objectName: "pinButton"
                        text: windowState.alwaysOnTop ? "Stop keeping on top" : "Keep on top"
                        iconPath: Icons.pin
                        checkable: true
                        checked: windowState.alwaysOnTop
                        onToggled: windowState.alwaysOnTop = checked
                    }
                    IconButton {
                        objectName: "settingsButton"
                        visible: typeof settingsWindow !== "undefined"
                        text: "Settings (Ctrl+,)"
                        iconPath: SettingsIcons.gear
                        onClicked: settingsWindow.show()
                    }
                    IconButton {
                        objectName: "closeButton"
                        text: "Close (Esc hides)"
                        iconPath: Icons.close
                        onClicked: shell.closeWindow()
                    }
                }
            }

            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: 1
                color: Theme.border
            }

            ContextBar {
                Layout.fillWidth: true
            }

            RowLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                spacing: 0

                ConversationList {
                    id: conversationList
                    visible: windowState.expanded
                    Layout.preferredWidth: 280
                    Layout.fillHeight: true
                }
                Rectangle {
                    visible: windowState.expanded
                    Layout.preferredWidth: 1
                    Layout.fillHeight: true
                    color: Theme.border
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    spacing: 0

                    MessageList {
                        id: messageList
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                    }
                    Composer {
                        id: composer
                        Layout.fillWidth: true
                        micAvailable: mic.available
                        micUnavailableReason: mic.unavailableReason
                        level: mic.level
                        listening: mic.listening
                        onMicPressed: mic.press()
                        onMicReleased: mic.release()
                    }
                    Label {
                        objectName: "footnote"
                        Layout.fillWidth: true
                        Layout.bottomMargin: 8
                        horizontalAlignment: Text.AlignHCenter
                        text: "Luma can make mistakes. Check important details."
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontCaption
                    }
                }
            }
        }

        MouseArea {
            objectName: "resizeGrip"
            width: 16
            height: 16
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            cursorShape: Qt.SizeFDiagCursor
            onPressed: window.startSystemResize(Qt.RightEdge | Qt.BottomEdge)
        }
    }

    Rectangle {
        id: toast
        objectName: "toast"
        property string message
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.bottomMargin: 120
        width: Math.min(toastLabel.implicitWidth + 28, window.width - 40)
        height: toastLabel.implicitHeight + 14
        radius: height / 2
        color: Theme.text
        opacity: message.length > 0 ? 0.92 : 0
        visible: opacity > 0
        Behavior on opacity { NumberAnimation { duration: 150 } }

        Label {
            id: toastLabel
            anchors.centerIn: parent
            width: Math.min(implicitWidth, window.width - 68)
            text: toast.message
            color: Theme.background
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideRight
            Accessible.role: Accessible.AlertMessage
            Accessible.name: text
        }
        Timer {
            id: toastTimer
            interval: 2600
            onTriggered: toast.message = ""
        }
        Connections {
            target: chat
            function onNoticeRaised(message) {
                toast.message = message
                toastTimer.restart()
            }
        }
    }
}

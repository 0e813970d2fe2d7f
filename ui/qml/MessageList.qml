import QtQuick
import QtQuick.Controls
import QtQml.Models
import "cards"

// The conversation: a virtualised list of message bubbles and cards. It follows the newest
// message while the user is at the end, and stays put when they scroll back.
ListView {
    id: list
    objectName: "messageList"
    property bool following: true

    model: chat.messages
    clip: true
    spacing: 10
    topMargin: 12
    bottomMargin: 8
    cacheBuffer: 600
    boundsBehavior: Flickable.StopAtBounds
    activeFocusOnTab: true
    keyNavigationEnabled: true
    highlightFollowsCurrentItem: false
    currentIndex: -1
    Accessible.role: Accessible.List
    Accessible.name: "Messages"

    function followEnd() {
        if (following)
            Qt.callLater(positionViewAtEnd)
    }

    onMovementEnded: following = atYEnd
    onCountChanged: followEnd()
    onContentHeightChanged: followEnd()
    onHeightChanged: followEnd()

    Connections {
        target: chat
        function onConversationIdChanged() {
            list.following = true
            list.followEnd()
        }
    }

    Keys.onPressed: event => {
        if (event.matches(StandardKey.Copy) && currentIndex >= 0) {
            chat.copy(currentIndex)
            event.accepted = true
        }
    }

    header: Column {
        objectName: "greeting"
        width: list.width
        visible: chat.fresh
        height: visible ? implicitHeight + 6 : 0
        spacing: 6
        topPadding: 6
        leftPadding: Theme.padding
        rightPadding: Theme.padding

        Label {
            width: parent.width - 2 * Theme.padding
            text: greeter.salutation || "Hello."
            color: Theme.text
            font.pixelSize: Theme.fontHeading
            font.weight: Font.DemiBold
            wrapMode: Text.Wrap
        }
        Repeater {
            model: greeter.highlights
            delegate: Row {
                id: highlight
                required property string modelData
                spacing: 8
                Rectangle {
                    y: bullet.font.pixelSize * 0.55
                    width: 5
                    height: 5
                    radius: 2.5
                    color: Theme.accent
                }
                Label {
                    id: bullet
                    width: list.width - 2 * Theme.padding - 13
                    text: highlight.modelData.charAt(0).toUpperCase() + highlight.modelData.slice(1)
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontBody
                    wrapMode: Text.Wrap
                }
            }
        }
        Label {
            visible: greeter.ready && greeter.highlights.length === 0
            text: "Nothing needs your attention right now."
            color: Theme.textMuted
            font.pixelSize: Theme.fontBody
        }
        Label {
            width: parent.width - 2 * Theme.padding
            text: "Ask me to book, invoice, check the bank or remind you — or use a chip below."
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
            topPadding: 4
        }
    }

    footer: Item {
        width: list.width
        height: chat.thinking ? 34 : 0
        visible: chat.thinking

        Rectangle {
            objectName: "typingIndicator"
            x: Theme.padding
            y: 6
            width: 56
            height: 26
            radius: 13
            color: Theme.assistantBubble
            Accessible.role: Accessible.Indicator
            Accessible.name: "Luma is thinking"

            Row {
                anchors.centerIn: parent
                spacing: 5
                Repeater {
                    model: 3
                    delegate: Rectangle {
                        id: dot
                        required property int index
                        width: 7
                        height: 7
                        radius: 3.5
                        color: Theme.textMuted
                        SequentialAnimation on opacity {
                            running: chat.thinking
                            loops: Animation.Infinite
                            PauseAnimation { duration: dot.index * 160 }
                            NumberAnimation { from: 0.25; to: 1; duration: 320 }
                            NumberAnimation { from: 1; to: 0.25; duration: 320 }
                            PauseAnimation { duration: (2 - dot.index) * 160 }
                        }
                    }
                }
            }
        }
    }

    delegate: DelegateChooser {
        role: "kind"
        DelegateChoice {
            roleValue: "card"
            delegate: CardHost {
                width: ListView.view.width
                current: ListView.isCurrentItem && list.activeFocus
            }
        }
        DelegateChoice {
            delegate: MessageBubble {
                width: ListView.view.width
                current: ListView.isCurrentItem && list.activeFocus
            }
        }
    }

    ScrollBar.vertical: ScrollBar {
        policy: ScrollBar.AsNeeded
    }
}

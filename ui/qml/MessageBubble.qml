import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// One message: the user's on the right, Luma's on the left in markdown, growing with a
// blinking cursor while it streams; the time, copy and thumbs up/down underneath.
Item {
    id: bubble

    required property int index
    required property string kind
    required property string text
    required property string time
    required property bool streaming
    required property int messageId
    required property int feedback
    property bool current: false

    readonly property bool mine: kind === "user"
    readonly property real maxBubbleWidth: Math.max(120, width * (mine ? 0.82 : 0.9) - 2 * Theme.padding)
    property bool cursorOn: true

    implicitHeight: column.implicitHeight
    height: implicitHeight
    Accessible.role: Accessible.ListItem
    Accessible.name: (mine ? "You" : "Luma") + " at " + time + ": " + text

    Timer {
        running: bubble.streaming
        repeat: true
        interval: 530
        onTriggered: bubble.cursorOn = !bubble.cursorOn
        onRunningChanged: bubble.cursorOn = true
    }

    Column {
        id: column
        x: Theme.padding
        width: bubble.width - 2 * Theme.padding
        spacing: 3

        Rectangle {
            id: body
            anchors.right: bubble.mine ? parent.right : undefined
            width: Math.min(content.implicitWidth, bubble.maxBubbleWidth - 24) + 24
            height: content.height + 16
            radius: Theme.radius
            color: bubble.mine ? Theme.userBubble : Theme.assistantBubble
            border.width: bubble.current ? 2 : 0
            border.color: Theme.focusRing

            Text {
                id: content
                objectName: "messageText"
                x: 12
                y: 8
                width: Math.min(implicitWidth, bubble.maxBubbleWidth - 24)
                text: bubble.text + (bubble.streaming && bubble.cursorOn ? " ▍" : "")
                textFormat: bubble.mine ? Text.PlainText : Text.MarkdownText
                wrapMode: Text.Wrap
                color: bubble.mine ? Theme.accentText : Theme.text
                linkColor: bubble.mine ? Theme.accentText : Theme.accent
                font.pixelSize: Theme.fontBody
                onLinkActivated: link => Qt.openUrlExternally(link)
            }
        }

        Row {
            id: meta
            anchors.right: bubble.mine ? parent.right : undefined
            spacing: 2
            height: 26
            visible: !bubble.streaming

            Label {
                anchors.verticalCenter: parent.verticalCenter
                rightPadding: 4
                leftPadding: 4
                text: bubble.time
                color: Theme.textMuted
                font.pixelSize: Theme.fontCaption
                Accessible.name: "Sent at " + text
            }
            IconButton {
                objectName: "copyButton"
                implicitWidth: 26
                implicitHeight: 26
                iconSize: 14
                text: "Copy message"
                iconPath: Icons.copy
                onClicked: chat.copy(bubble.index)
            }
            IconButton {
                objectName: "thumbUpButton"
                visible: !bubble.mine && bubble.messageId >= 0
                implicitWidth: 26
                implicitHeight: 26
                iconSize: 14
                text: bubble.feedback === 1 ? "Marked as a good answer (click to undo)" : "Good answer"
                iconPath: Icons.thumbUp
                checked: bubble.feedback === 1
                onClicked: chat.rate(bubble.index, 1)
            }
            IconButton {
                objectName: "thumbDownButton"
                visible: !bubble.mine && bubble.messageId >= 0
                implicitWidth: 26
                implicitHeight: 26
                iconSize: 14
                text: bubble.feedback === -1 ? "Marked as a bad answer (click to undo)" : "Bad answer"
                iconPath: Icons.thumbDown
                checked: bubble.feedback === -1
                iconColor: checked ? Theme.danger : Theme.textMuted
                onClicked: chat.rate(bubble.index, -1)
            }
        }
    }
}

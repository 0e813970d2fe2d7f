import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ".."
import "card.js" as C

// A multi-step request: each tool call as a step — running, waiting for you, done or failed —
// with a bar of how far it got.
CardFrame {
    id: card
    objectName: "progressCard"

    readonly property var steps: cardData.steps || []
    readonly property string state_: cardData.state || "running"
    readonly property int done: cardData.done || 0
    readonly property int total: Math.max(1, cardData.total || steps.length)

    accent: state_ === "failed" ? Theme.danger : state_ === "done" ? Theme.success
          : state_ === "waiting" ? Theme.warning : Theme.accent
    iconPath: C.icons.steps
    title: cardData.title || "Working on it"
    note: done + " / " + total
    Accessible.name: title + ", " + done + " of " + total + " steps done"

    Rectangle {
        objectName: "progressBar"
        Layout.fillWidth: true
        implicitHeight: 6
        radius: 3
        color: Theme.surface
        Accessible.role: Accessible.ProgressBar
        Accessible.name: card.done + " of " + card.total + " steps done"
        Rectangle {
            width: parent.width * card.done / card.total
            height: parent.height
            radius: 3
            color: card.accent
            Behavior on width {
                enabled: !card.cardData.finished
                NumberAnimation { duration: 200; easing.type: Easing.OutCubic }
            }
        }
    }

    Repeater {
        model: card.steps
        delegate: RowLayout {
            id: step
            required property var modelData
            required property int index
            readonly property string state_: modelData.state
            readonly property color tint: state_ === "done" ? Theme.success : state_ === "failed" ? Theme.danger
                                        : state_ === "waiting" ? Theme.warning : Theme.accent
            Layout.fillWidth: true
            spacing: 10
            Accessible.role: Accessible.ListItem
            Accessible.name: "Step " + (index + 1) + ", " + modelData.label + ": "
                             + ({ done: "done", failed: "failed", waiting: "waiting for you", running: "running" })[state_]
                             + (modelData.detail ? ". " + modelData.detail : "")

            Rectangle {
                Layout.alignment: Qt.AlignTop
                Layout.preferredWidth: 22
                Layout.preferredHeight: 22
                radius: 11
                color: step.state_ === "running" ? "transparent" : Qt.alpha(step.tint, Theme.dark ? 0.22 : 0.14)
                border.width: step.state_ === "running" ? 2 : 0
                border.color: step.tint
                Icon {
                    anchors.centerIn: parent
                    visible: step.state_ !== "running"
                    path: step.state_ === "done" ? C.icons.check : step.state_ === "failed" ? C.icons.cross : C.icons.pause
                    size: 13
                    strokeWidth: 2.2
                    color: step.tint
                }
                Rectangle {
                    anchors.centerIn: parent
                    visible: step.state_ === "running"
                    width: 8
                    height: 8
                    radius: 4
                    color: step.tint
                    SequentialAnimation on opacity {
                        running: step.state_ === "running"
                        loops: Animation.Infinite
                        NumberAnimation { from: 1; to: 0.25; duration: 500 }
                        NumberAnimation { from: 0.25; to: 1; duration: 500 }
                    }
                }
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 1
                Label {
                    Layout.fillWidth: true
                    text: step.modelData.label
                    color: Theme.text
                    font.pixelSize: Theme.fontSmall + 1
                    font.weight: Font.Medium
                    wrapMode: Text.Wrap
                }
                Label {
                    Layout.fillWidth: true
                    visible: text.length > 0
                    text: step.modelData.detail
                    color: step.state_ === "failed" ? Theme.danger : Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.Wrap
                    maximumLineCount: 2
                    elide: Text.ElideRight
                }
            }
        }
    }
}

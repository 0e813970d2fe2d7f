import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ".."
import "card.js" as C

// What failed, in words, and what to do next: each recovery option is a button that calls
// chat.recover(action) ("Try again", "Put it on my task list instead").
CardFrame {
    id: card
    objectName: "errorCard"

    readonly property var options: cardData.options || []
    property bool submitted: false

    accent: Theme.danger
    emphasised: open
    iconPath: C.icons.alert
    title: cardData.title || "Something went wrong"
    Accessible.name: title + ": " + (cardData.message || "")

    Connections {
        target: chat
        function onBusyChanged() {
            if (!chat.busy)
                card.submitted = false
        }
    }

    Label {
        objectName: "message"
        Layout.fillWidth: true
        text: card.cardData.message || ""
        color: Theme.text
        font.pixelSize: Theme.fontBody
        wrapMode: Text.Wrap
    }

    Flow {
        objectName: "actions"
        Layout.fillWidth: true
        visible: card.open && card.options.length > 0
        enabled: !card.submitted
        spacing: 8

        Repeater {
            model: card.open ? card.options : []
            delegate: CardButton {
                required property var modelData
                required property int index
                objectName: "recover_" + modelData.action
                kind: index === 0 ? "primary" : "secondary"
                iconPath: modelData.action === "retry" ? C.icons.retry : ""
                text: modelData.label
                onClicked: {
                    card.submitted = true
                    chat.recover(modelData.action)
                }
            }
        }
    }
}

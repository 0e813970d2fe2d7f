import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ".."

// The fallback card for any type without its own QML yet: a heading, the event's main text,
// and — for questions and errors — working buttons, so every card can be answered.
Rectangle {
    id: card

    property string cardType
    property var cardData: ({})
    property string cardState
    property string cardOutcome
    property int row: -1

    readonly property bool interactive: cardState === "open"
    readonly property var candidates: cardData.candidates || []
    readonly property var options: cardData.options || []
    readonly property string heading: {
        switch (cardType) {
        case "confirmation": return "Please confirm"
        case "disambiguation": return cardData.question || "Which one did you mean?"
        case "error": return "Something went wrong"
        default: return cardType.charAt(0).toUpperCase() + cardType.slice(1).replace(/_/g, " ")
        }
    }
    readonly property string body: cardData.prompt || cardData.message || cardData.summary || ""
    readonly property color edge: cardType === "error" ? Theme.danger
                                : cardType === "confirmation" ? Theme.riskColor(cardData.risk)
                                : Theme.border

    implicitHeight: column.implicitHeight + 24
    radius: 12
    color: Theme.surfaceRaised
    border.color: edge
    border.width: 1
    Accessible.role: Accessible.Grouping
    Accessible.name: heading + ". " + body

    Rectangle {
        width: 4
        height: parent.height - 16
        x: 0
        y: 8
        radius: 2
        color: card.edge
    }

    ColumnLayout {
        id: column
        x: 16
        y: 12
        width: card.width - 28
        spacing: 8

        Label {
            Layout.fillWidth: true
            text: card.heading
            color: Theme.text
            font.pixelSize: Theme.fontBody
            font.weight: Font.DemiBold
            wrapMode: Text.Wrap
        }
        Label {
            Layout.fillWidth: true
            visible: text.length > 0 && text !== card.heading
            text: card.body
            color: Theme.text
            font.pixelSize: Theme.fontBody
            wrapMode: Text.Wrap
        }

        // -- confirmation ------------------------------------------------------------------
        TextField {
            id: phrase
            objectName: "phraseField"
            Layout.fillWidth: true
            visible: card.cardType === "confirmation" && card.interactive && !!card.cardData.phrase
            placeholderText: "Type “" + (card.cardData.phrase || "") + "” to go ahead"
            Accessible.name: "Confirmation phrase: type " + (card.cardData.phrase || "")
            font.pixelSize: Theme.fontBody
            onAccepted: confirmButton.clicked()
        }
        RowLayout {
            visible: card.cardType === "confirmation" && card.interactive
            spacing: 8
            Button {
                id: confirmButton
                objectName: "confirmButton"
                text: "Confirm"
                highlighted: true
                enabled: !card.cardData.phrase || phrase.text.trim().length > 0
                Accessible.name: "Confirm: " + card.body
                onClicked: chat.confirm(card.cardData.pending_id, true, phrase.text, "")
            }
            Button {
                objectName: "cancelButton"
                text: "Cancel"
                Accessible.name: "Cancel: " + card.body
                onClicked: chat.confirm(card.cardData.pending_id, false, "", "")
            }
        }

        // -- disambiguation ----------------------------------------------------------------
        Repeater {
            model: card.cardType === "disambiguation" && card.interactive ? card.candidates : []
            delegate: Button {
                required property var modelData
                required property int index
                objectName: "candidateButton" + index
                Layout.fillWidth: true
                text: (index + 1) + ". " + modelData.label + (modelData.detail ? " — " + modelData.detail : "")
                Accessible.name: "Choose " + modelData.label
                onClicked: chat.choose(card.cardData.call_id, modelData.id)
                contentItem: Label {
                    text: parent.text
                    wrapMode: Text.Wrap
                    color: Theme.text
                    font.pixelSize: Theme.fontSmall
                }
            }
        }
        Button {
            visible: card.cardType === "disambiguation" && card.interactive
            text: "None of them"
            flat: true
            onClicked: chat.choose(card.cardData.call_id, null)
        }

        // -- error -------------------------------------------------------------------------
        Flow {
            Layout.fillWidth: true
            visible: card.cardType === "error" && card.interactive
            spacing: 8
            Repeater {
                model: card.cardType === "error" ? card.options : []
                delegate: Button {
                    required property var modelData
                    text: modelData.label
                    onClicked: chat.recover(modelData.action)
                }
            }
        }

        Label {
            objectName: "outcome"
            Layout.fillWidth: true
            visible: card.cardState === "resolved" && card.cardOutcome.length > 0
            text: card.cardOutcome
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
            font.italic: true
            wrapMode: Text.Wrap
        }
    }
}

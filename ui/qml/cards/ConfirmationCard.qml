import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ".."
import "card.js" as C

// "Please confirm": the question, coloured by risk; for high and critical risk the arguments
// as label/value rows; for critical a typed phrase before Confirm works. Confirm / Edit /
// Cancel answer through chat.confirm(); a countdown to the expiry disables the card at zero.
CardFrame {
    id: card
    objectName: "confirmationCard"

    readonly property string risk: cardData.risk || "medium"
    readonly property bool critical: risk === "critical"
    readonly property bool detailed: risk === "high" || critical
    readonly property string phrase: cardData.phrase || ""
    readonly property var fields: cardData.fields || []
    readonly property bool phraseOk: C.phraseMatches(phraseField.text, phrase)
    property real remainingMs: remaining()
    readonly property bool expired: remainingMs <= 0
    readonly property bool live: open && !expired
    property bool editing: false
    property bool submitted: false

    function remaining() {
        var left = Number(cardData.expires_in_ms)
        var issued = Number(cardData.issued_at_ms)
        if (isNaN(left))
            return 1
        return isNaN(issued) ? left : left - (Date.now() - issued)
    }
    function answer(approve, edits) {
        if (!live || submitted)
            return
        submitted = true
        chat.confirm(cardData.pending_id, approve, approve ? phraseField.text : "", edits || "")
    }
    function changedArguments() {
        var edits = {}
        var changed = false
        for (var i = 0; i < editors.count; ++i) {
            var editor = editors.itemAt(i)
            if (editor && editor.changed) {
                edits[editor.field.name] = editor.newValue()
                changed = true
            }
        }
        return changed ? JSON.stringify(edits) : ""
    }

    accent: expired && open ? Theme.textMuted : Theme.riskColor(risk)
    emphasised: open && !expired
    iconPath: critical ? C.icons.lock : C.icons.shield
    title: cardData.title || "Please confirm"
    subtitle: cardData.risk_label || ""
    note: !open ? "" : expired ? "Expired" : "Expires in " + C.countdown(remainingMs)
    noteColor: expired ? Theme.danger : remainingMs < 60000 ? Theme.warning : Theme.textMuted
    Accessible.name: "Confirmation, " + (cardData.risk_label || risk) + ": " + (cardData.prompt || "")
                     + (expired && open ? ". Expired" : "")

    Timer {
        interval: 1000
        repeat: true
        running: card.live
        onTriggered: card.remainingMs = card.remaining()
    }
    Connections {
        target: chat
        function onBusyChanged() {
            if (!chat.busy)
                card.submitted = false
        }
    }

    Label {
        objectName: "prompt"
        Layout.fillWidth: true
        text: card.cardData.prompt || ""
        color: Theme.text
        font.pixelSize: Theme.fontBody
        wrapMode: Text.Wrap
        lineHeight: 1.1
    }

    // -- the arguments: read-only preview (high, critical) or editable fields ----------------
    Rectangle {
        objectName: "preview"
        Layout.fillWidth: true
        visible: card.fields.length > 0 && (card.editing || (card.detailed && !card.resolved))
        implicitHeight: previewColumn.implicitHeight + 20
        radius: Theme.radiusSmall + 2
        color: Theme.surface
        border.width: 1
        border.color: Theme.border

        ColumnLayout {
            id: previewColumn
            x: 12
            y: 10
            width: parent.width - 24
            spacing: card.editing ? 8 : 6

            Repeater {
                model: card.editing ? [] : card.fields
                delegate: InfoRow {
                    required property var modelData
                    Layout.fillWidth: true
                    label: modelData.label
                    value: modelData.value
                    strong: modelData.strong
                }
            }
            Repeater {
                id: editors
                model: card.editing ? card.fields : []
                delegate: ColumnLayout {
                    id: editor
                    required property var modelData
                    required property int index
                    readonly property var field: modelData
                    readonly property bool changed: field.kind === "bool"
                                                    ? box.checked !== field.checked
                                                    : input.text !== field.edit
                    function newValue() {
                        return field.kind === "bool" ? box.checked : input.text
                    }
                    Layout.fillWidth: true
                    spacing: 3

                    Label {
                        text: editor.field.label
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSmall
                        visible: editor.field.kind !== "bool"
                    }
                    CardField {
                        id: input
                        objectName: "edit_" + editor.field.name
                        Layout.fillWidth: true
                        visible: editor.field.kind !== "bool"
                        enabled: editor.field.editable
                        text: editor.field.edit
                        placeholderText: editor.field.placeholder || ""
                        font.weight: editor.field.strong ? Font.DemiBold : Font.Normal
                        Accessible.name: "Change " + editor.field.label
                        Component.onCompleted: if (editor.index === 0) forceActiveFocus()
                    }
                    CheckBox {
                        id: box
                        objectName: "edit_" + editor.field.name
                        visible: editor.field.kind === "bool"
                        checked: editor.field.checked
                        Accessible.name: editor.field.label
                        contentItem: Label {
                            leftPadding: box.indicator.width + 6
                            text: editor.field.label
                            color: Theme.text
                            font.pixelSize: Theme.fontSmall + 1
                            verticalAlignment: Text.AlignVCenter
                        }
                    }
                }
            }
        }
    }

    Label {
        objectName: "raisedNote"
        Layout.fillWidth: true
        visible: card.open && (card.cardData.raised_labels || []).length > 0
        text: "Asked because these came from earlier results, not from you: "
              + (card.cardData.raised_labels || []).join(", ") + "."
        color: Theme.warning
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.Wrap
    }

    // -- the typed phrase (critical) ---------------------------------------------------------
    ColumnLayout {
        Layout.fillWidth: true
        visible: card.critical && card.open && !card.editing
        spacing: 6
        Label {
            Layout.fillWidth: true
            textFormat: Text.StyledText
            text: "To go ahead, type <b>" + card.phrase + "</b>"
            color: Theme.text
            font.pixelSize: Theme.fontSmall + 1
            wrapMode: Text.Wrap
        }
        CardField {
            id: phraseField
            objectName: "phraseField"
            Layout.fillWidth: true
            enabled: card.live
            placeholderText: card.phrase
            font.family: "monospace"
            invalid: text.length > 0 && !card.phraseOk && text.length >= card.phrase.length
            Accessible.name: "Confirmation phrase: type " + card.phrase
            Accessible.description: card.phraseOk ? "The phrase matches" : "Type the phrase exactly"
            onAccepted: if (card.phraseOk) card.answer(true, "")
        }
    }

    Label {
        objectName: "expiredNote"
        Layout.fillWidth: true
        visible: card.open && card.expired
        text: "This request expired without an answer, so nothing was done. Ask again if you still want it."
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.Wrap
    }

    // -- answers -----------------------------------------------------------------------------
    RowLayout {
        objectName: "actions"
        Layout.fillWidth: true
        Layout.topMargin: 2
        visible: card.open && !card.expired
        enabled: card.live && !card.submitted
        spacing: 8

        CardButton {
            id: confirmButton
            objectName: "confirmButton"
            kind: "primary"
            tint: card.risk === "low" || card.risk === "medium"
                  ? (Theme.dark ? Theme.userBubble : Theme.accent) : Theme.riskColor(card.risk)
            text: card.editing ? "Confirm changes" : "Confirm"
            iconPath: C.icons.check
            enabled: card.editing || card.phraseOk
            accessibleName: (card.editing ? "Confirm with your changes: " : "Confirm: ")
                            + (card.cardData.prompt || "")
            onClicked: card.answer(true, card.editing ? card.changedArguments() : "")
        }
        CardButton {
            objectName: "editButton"
            visible: !card.editing && card.fields.some(function (f) { return f.editable })
            text: "Edit"
            iconPath: C.icons.edit
            accessibleName: "Edit the details before confirming"
            onClicked: card.editing = true
        }
        Item { Layout.fillWidth: true }
        CardButton {
            objectName: "cancelButton"
            kind: "quiet"
            text: card.editing ? "Back" : "Cancel"
            accessibleName: card.editing ? "Stop editing" : "Cancel: " + (card.cardData.prompt || "")
            onClicked: {
                if (card.editing)
                    card.editing = false
                else
                    card.answer(false, "")
            }
        }
    }
}

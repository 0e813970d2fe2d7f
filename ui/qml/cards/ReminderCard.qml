import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ".."
import "card.js" as C

// A reminder that fell due (ui/reminders.py): its text and time, with Snooze and Done while its
// cardState is "due"; once answered it shows the outcome ("Snoozed until 15:25.", "Done.").
// The buttons call the `reminders` object the reminders extension exposes.
CardFrame {
    id: card
    objectName: "reminderCard"

    readonly property bool due: cardState === "due"
    readonly property int minutes: cardData.snooze_minutes || 10
    property bool submitted: false

    accent: cardData.importance === "high" ? Theme.warning : Theme.accent
    emphasised: due
    iconPath: C.icons.clock
    title: "Reminder"
    subtitle: cardData.due_label || ""
    badge: cardData.importance === "high" ? "important" : ""
    badgeTone: "warning"
    showOutcome: cardState === "resolved" && cardOutcome.length > 0
    Accessible.name: "Reminder: " + (cardData.text || "") + ". " + subtitle
                     + (showOutcome ? ". " + cardOutcome : "")

    onCardStateChanged: submitted = false

    Label {
        objectName: "reminderText"
        Layout.fillWidth: true
        text: card.cardData.text || ""
        color: Theme.text
        font.pixelSize: Theme.fontBody
        wrapMode: Text.Wrap
    }

    Flow {
        objectName: "actions"
        Layout.fillWidth: true
        visible: card.due
        enabled: !card.submitted
        spacing: 8

        CardButton {
            objectName: "doneButton"
            kind: "primary"
            iconPath: C.icons.check
            text: "Done"
            accessibleName: "Done: " + (card.cardData.text || "")
            onClicked: {
                card.submitted = true
                reminders.done(card.cardData.reminder_id)
            }
        }
        CardButton {
            objectName: "snoozeButton"
            kind: "secondary"
            iconPath: C.icons.clock
            text: "Snooze " + card.minutes + " min"
            accessibleName: "Snooze for " + card.minutes + " minutes: " + (card.cardData.text || "")
            onClicked: {
                card.submitted = true
                reminders.snooze(card.cardData.reminder_id)
            }
        }
    }
}

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ".."
import "card.js" as C

// Any other result: tasks, reminders, search hits, reports and settings, as label/value fields
// and titled lists of rows (title, detail, amount, status).
CardFrame {
    id: card
    objectName: "tableCard"

    readonly property var sections: cardData.sections || []
    readonly property var fields: cardData.fields || []
    readonly property string result: cardData.result || cardType

    accent: result === "tasks" ? Theme.warning : result === "reminders" ? Theme.accent : Theme.accent
    iconPath: result === "search" ? C.icons.search : result === "reminders" ? C.icons.clock : C.icons.list
    title: cardData.title || "Results"
    subtitle: cardData.subtitle || ""
    Accessible.name: title + ": " + (cardData.summary || "")

    Repeater {
        model: card.fields
        delegate: InfoRow {
            required property var modelData
            Layout.fillWidth: true
            label: modelData.label
            value: modelData.value
        }
    }

    Repeater {
        model: card.sections
        delegate: ColumnLayout {
            id: section
            required property var modelData
            required property int index
            Layout.fillWidth: true
            Layout.topMargin: index > 0 || card.fields.length > 0 ? 10 : 0
            spacing: 8

            SectionTitle {
                visible: text.length > 0
                text: section.modelData.title
            }
            Repeater {
                model: section.modelData.items
                delegate: ColumnLayout {
                    required property var modelData
                    required property int index
                    Layout.fillWidth: true
                    spacing: 8
                    Divider { visible: index > 0 }
                    ListRow {
                        Layout.fillWidth: true
                        title: modelData.title
                        detail: modelData.detail
                        value: modelData.value
                        badge: modelData.badge
                        badgeTone: modelData.tone
                    }
                }
            }
            MoreNote {
                count: section.modelData.more || 0
            }
        }
    }
    Label {
        Layout.fillWidth: true
        visible: !!card.cardData.empty
        text: card.cardData.summary || "Nothing to show."
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall + 1
        wrapMode: Text.Wrap
    }
}

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ".."
import "card.js" as C

// An invoice or quote: its lines, VAT, totals, what is paid and what is due; or a list of
// invoices (numbers, clients, amounts, status), with the total outstanding when overdue.
CardFrame {
    id: card
    objectName: "invoiceCard"

    readonly property bool single: cardData.layout === "single"
    readonly property var lines: cardData.lines || []
    readonly property var totals: cardData.totals || []
    readonly property var items: cardData.items || []

    accent: cardData.tone === "danger" ? Theme.danger : Theme.accent
    iconPath: C.icons.receipt
    title: single ? (cardData.document || "Invoice") + " " + (cardData.number || "") : cardData.title || "Invoices"
    subtitle: single ? cardData.client || "" : cardData.subtitle || ""
    badge: single ? cardData.status || "" : ""
    badgeTone: cardData.tone || "muted"
    Accessible.name: single ? title + " for " + subtitle + ", " + badge + ", total " + (cardData.total || "")
                            : title + ", " + subtitle

    // -- one document --------------------------------------------------------------------------
    RowLayout {
        objectName: "dates"
        Layout.fillWidth: true
        visible: card.single
        spacing: 18
        ColumnLayout {
            spacing: 0
            Label { text: "Issued"; color: Theme.textMuted; font.pixelSize: Theme.fontCaption }
            Label { text: card.cardData.issued || ""; color: Theme.text; font.pixelSize: Theme.fontSmall + 1 }
        }
        ColumnLayout {
            spacing: 0
            Label { text: card.cardData.due_label || "Due"; color: Theme.textMuted; font.pixelSize: Theme.fontCaption }
            Label {
                text: card.cardData.due || "—"
                color: card.cardData.overdue ? Theme.danger : Theme.text
                font.pixelSize: Theme.fontSmall + 1
                font.weight: card.cardData.overdue ? Font.DemiBold : Font.Normal
            }
        }
        Item { Layout.fillWidth: true }
        Label {
            Layout.alignment: Qt.AlignBottom
            visible: text.length > 0
            text: card.cardData.overdue || ""
            color: Theme.danger
            font.pixelSize: Theme.fontSmall
            font.weight: Font.DemiBold
        }
    }

    Rectangle {
        objectName: "lines"
        Layout.fillWidth: true
        visible: card.single && card.lines.length > 0
        implicitHeight: linesColumn.implicitHeight + 20
        radius: Theme.radiusSmall + 2
        color: Theme.surface

        ColumnLayout {
            id: linesColumn
            x: 12
            y: 10
            width: parent.width - 24
            spacing: 8

            Repeater {
                model: card.single ? card.lines : []
                delegate: RowLayout {
                    required property var modelData
                    Layout.fillWidth: true
                    spacing: 10
                    Accessible.role: Accessible.ListItem
                    Accessible.name: modelData.description + ", " + modelData.quantity + " at " + modelData.unit + ", " + modelData.amount
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 1
                        Label {
                            Layout.fillWidth: true
                            text: modelData.description
                            color: Theme.text
                            font.pixelSize: Theme.fontSmall + 1
                            font.weight: Font.Medium
                            wrapMode: Text.Wrap
                        }
                        Label {
                            Layout.fillWidth: true
                            text: modelData.quantity + " × " + modelData.unit + "  ·  " + modelData.vat
                            color: Theme.textMuted
                            font.pixelSize: Theme.fontCaption + 1
                        }
                    }
                    Label {
                        Layout.alignment: Qt.AlignTop
                        text: modelData.amount
                        color: Theme.text
                        font.pixelSize: Theme.fontSmall + 1
                        font.features: { "tnum": 1 }
                    }
                }
            }
        }
    }

    ColumnLayout {
        objectName: "totals"
        Layout.fillWidth: true
        visible: card.single
        spacing: 4

        Repeater {
            model: card.single ? card.totals : []
            delegate: RowLayout {
                required property var modelData
                required property int index
                readonly property bool last: index === card.totals.length - 1
                Layout.fillWidth: true
                Layout.topMargin: last ? 4 : 0
                Accessible.role: Accessible.StaticText
                Accessible.name: modelData.label + ": " + modelData.value
                Label {
                    Layout.fillWidth: true
                    text: modelData.label
                    color: last ? Theme.text : Theme.textMuted
                    font.pixelSize: last ? Theme.fontBody : Theme.fontSmall + 1
                    font.weight: last ? Font.DemiBold : Font.Normal
                }
                Label {
                    text: modelData.value
                    color: Theme.text
                    font.pixelSize: last ? Theme.fontBody : Theme.fontSmall + 1
                    font.weight: last ? Font.Bold : Font.Normal
                    font.features: { "tnum": 1 }
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            visible: !!card.cardData.paid
            Label { Layout.fillWidth: true; text: "Paid"; color: Theme.textMuted; font.pixelSize: Theme.fontSmall + 1 }
            Label {
                text: "−" + (card.cardData.paid || "")
                color: Theme.success
                font.pixelSize: Theme.fontSmall + 1
                font.features: { "tnum": 1 }
            }
        }
        Rectangle {
            objectName: "balanceDue"
            Layout.fillWidth: true
            Layout.topMargin: 4
            visible: !!card.cardData.balance
            implicitHeight: dueRow.implicitHeight + 14
            radius: Theme.radiusSmall
            color: Qt.alpha(card.cardData.tone === "danger" ? Theme.danger : Theme.accent, Theme.dark ? 0.16 : 0.08)
            RowLayout {
                id: dueRow
                x: 10
                y: 7
                width: parent.width - 20
                Label {
                    Layout.fillWidth: true
                    text: "Balance due"
                    color: Theme.text
                    font.pixelSize: Theme.fontBody
                    font.weight: Font.DemiBold
                }
                Label {
                    text: card.cardData.balance || ""
                    color: card.cardData.tone === "danger" ? Theme.danger : Theme.accent
                    font.pixelSize: Theme.fontBody
                    font.weight: Font.Bold
                    font.features: { "tnum": 1 }
                }
            }
        }
    }
    Label {
        Layout.fillWidth: true
        visible: card.single && text.length > 0
        text: card.cardData.notes || ""
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
        font.italic: true
        wrapMode: Text.Wrap
    }

    // -- a list ----------------------------------------------------------------------------------
    ColumnLayout {
        Layout.fillWidth: true
        visible: !card.single && !!card.cardData.headline
        spacing: 0
        Label {
            text: card.cardData.headline || ""
            color: Theme.danger
            font.pixelSize: Theme.fontHeading + 4
            font.weight: Font.Bold
            font.features: { "tnum": 1 }
        }
        Label {
            text: "outstanding"
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }
    }
    Divider { visible: !card.single && !!card.cardData.headline && card.items.length > 0 }
    Repeater {
        model: card.single ? [] : card.items
        delegate: ColumnLayout {
            required property var modelData
            required property int index
            Layout.fillWidth: true
            spacing: 8
            Divider { visible: index > 0 }
            ListRow {
                Layout.fillWidth: true
                title: modelData.number
                detail: [modelData.client, modelData.detail].filter(function (t) { return t }).join(" · ")
                value: modelData.total
                badge: modelData.status
                badgeTone: modelData.tone
            }
        }
    }
    Label {
        Layout.fillWidth: true
        visible: !card.single && !!card.cardData.empty
        text: "No invoices."
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall + 1
    }
    MoreNote {
        count: card.single ? 0 : card.cardData.more || 0
    }
}

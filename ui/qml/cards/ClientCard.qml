import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ".."
import "card.js" as C

// A client: avatar, status, tags, how to reach them, their last and next visit, what they owe;
// or a list of clients.
CardFrame {
    id: card
    objectName: "clientCard"

    readonly property bool single: cardData.layout === "single"
    readonly property var client: cardData.client || ({})
    readonly property var clients: cardData.clients || []

    accent: Theme.accent
    iconPath: single ? C.icons.user : C.icons.users
    avatarInitials: single ? client.initials || "" : ""
    title: single ? client.name || "Client" : cardData.title || "Clients"
    subtitle: single ? [client.company, client.since].filter(function (t) { return t }).join(" · ")
                     : cardData.subtitle || ""
    badge: single ? client.status || "" : ""
    badgeTone: client.tone || "muted"
    Accessible.name: single ? "Client: " + (cardData.summary || title) : title + ", " + subtitle

    // -- one client --------------------------------------------------------------------------------
    RowLayout {
        objectName: "identity"
        Layout.fillWidth: true
        visible: card.single
        spacing: 12
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 6
            Flow {
                Layout.fillWidth: true
                spacing: 6
                visible: (card.client.tags || []).length > 0
                Repeater {
                    model: card.single ? card.client.tags || [] : []
                    delegate: Badge {
                        required property string modelData
                        text: "#" + modelData
                        tone: "accent"
                    }
                }
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: 16
                ColumnLayout {
                    spacing: 0
                    Label { text: "Balance"; color: Theme.textMuted; font.pixelSize: Theme.fontCaption }
                    Label {
                        text: card.client.balance || "—"
                        color: card.client.owes ? Theme.danger : Theme.text
                        font.pixelSize: Theme.fontBody
                        font.weight: Font.DemiBold
                        font.features: { "tnum": 1 }
                    }
                }
                ColumnLayout {
                    spacing: 0
                    Label { text: "Notes"; color: Theme.textMuted; font.pixelSize: Theme.fontCaption }
                    Label {
                        text: card.client.notes || 0
                        color: Theme.text
                        font.pixelSize: Theme.fontBody
                        font.weight: Font.DemiBold
                    }
                }
            }
        }
    }

    Rectangle {
        objectName: "visits"
        Layout.fillWidth: true
        visible: card.single && (!!card.client.last_visit || !!card.client.next_visit)
        implicitHeight: visitsColumn.implicitHeight + 20
        radius: Theme.radiusSmall + 2
        color: Theme.surface
        ColumnLayout {
            id: visitsColumn
            x: 12
            y: 10
            width: parent.width - 24
            spacing: 6
            InfoRow {
                Layout.fillWidth: true
                visible: value.length > 0
                labelWidth: 80
                label: "Next visit"
                value: card.client.next_visit || ""
                strong: true
            }
            InfoRow {
                Layout.fillWidth: true
                visible: value.length > 0
                labelWidth: 80
                label: "Last visit"
                value: card.client.last_visit || ""
            }
        }
    }

    Repeater {
        model: card.single ? card.client.contact || [] : []
        delegate: InfoRow {
            required property var modelData
            Layout.fillWidth: true
            labelWidth: 92
            label: modelData.label
            value: modelData.value
        }
    }

    // -- a list --------------------------------------------------------------------------------------
    Repeater {
        model: card.single ? [] : card.clients
        delegate: ColumnLayout {
            required property var modelData
            required property int index
            Layout.fillWidth: true
            spacing: 8
            Divider { visible: index > 0 }
            ListRow {
                Layout.fillWidth: true
                leadWidth: 32
                title: modelData.name
                detail: modelData.detail
                badge: modelData.status
                badgeTone: modelData.tone
                Avatar {
                    initials: modelData.initials
                    size: 32
                }
            }
        }
    }
    Label {
        Layout.fillWidth: true
        visible: !card.single && !!card.cardData.empty
        text: "No clients match."
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall + 1
    }
    MoreNote {
        count: card.single ? 0 : card.cardData.more || 0
    }
}

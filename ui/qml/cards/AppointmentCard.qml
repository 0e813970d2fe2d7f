import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ".."
import "card.js" as C

// Appointments: one booking (when, who, with whom, price, code), a day's agenda or a list
// grouped by day, or free slots to book.
CardFrame {
    id: card
    objectName: "appointmentCard"

    readonly property string layout: cardData.layout || "single"
    readonly property var appointment: cardData.appointment || ({})
    readonly property var groups: cardData.groups || []

    accent: Theme.accent
    iconPath: layout === "availability" ? C.icons.clock : C.icons.calendar
    title: layout === "single" ? (appointment.service || "Appointment") : (cardData.title || "Appointments")
    subtitle: layout === "single" ? appointment.client || "" : cardData.subtitle || ""
    badge: layout === "single" ? appointment.status || "" : ""
    badgeTone: appointment.tone || "muted"
    Accessible.name: layout === "single"
                     ? "Appointment: " + (cardData.summary || title)
                     : title + ", " + subtitle

    // -- one appointment ---------------------------------------------------------------------
    Rectangle {
        objectName: "when"
        Layout.fillWidth: true
        visible: card.layout === "single"
        implicitHeight: whenRow.implicitHeight + 20
        radius: Theme.radiusSmall + 2
        color: Theme.accentSoft

        RowLayout {
            id: whenRow
            x: 12
            y: 10
            width: parent.width - 24
            spacing: 12
            ColumnLayout {
                spacing: 0
                Label {
                    text: card.appointment.day || ""
                    color: Theme.accent
                    font.pixelSize: Theme.fontSmall
                    font.weight: Font.DemiBold
                }
                Label {
                    text: card.appointment.time || ""
                    color: Theme.text
                    font.pixelSize: Theme.fontHeading
                    font.weight: Font.DemiBold
                    font.features: { "tnum": 1 }
                }
            }
            Item { Layout.fillWidth: true }
            ColumnLayout {
                spacing: 0
                Label {
                    Layout.alignment: Qt.AlignRight
                    text: card.appointment.duration || ""
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                }
                Label {
                    Layout.alignment: Qt.AlignRight
                    text: card.appointment.price || ""
                    color: Theme.text
                    font.pixelSize: Theme.fontBody
                    font.weight: Font.DemiBold
                }
            }
        }
    }
    InfoRow {
        Layout.fillWidth: true
        visible: card.layout === "single" && value.length > 0
        label: "Date"
        value: card.appointment.date || ""
    }
    InfoRow {
        Layout.fillWidth: true
        visible: card.layout === "single" && value.length > 0
        label: "Client"
        value: card.appointment.client || ""
        strong: true
    }
    InfoRow {
        Layout.fillWidth: true
        visible: card.layout === "single" && value.length > 0
        label: "With"
        value: card.appointment.with || ""
    }
    InfoRow {
        Layout.fillWidth: true
        visible: card.layout === "single" && value.length > 0
        label: "Code"
        value: card.appointment.code || ""
        strong: true
    }
    InfoRow {
        Layout.fillWidth: true
        visible: card.layout === "single" && value.length > 0
        label: "Notes"
        value: card.appointment.notes || ""
    }

    // -- a list, by day ----------------------------------------------------------------------
    Repeater {
        model: card.layout === "list" ? card.groups : []
        delegate: ColumnLayout {
            required property var modelData
            required property int index
            Layout.fillWidth: true
            spacing: 8

            Divider { visible: index > 0 }
            SectionTitle {
                visible: card.groups.length > 1 || modelData.day !== card.title.split(" · ")[0]
                text: modelData.day === modelData.date ? modelData.day : modelData.day + " · " + modelData.date
            }
            Repeater {
                model: modelData.items
                delegate: ListRow {
                    required property var modelData
                    Layout.fillWidth: true
                    opacity: modelData.past ? 0.55 : 1
                    leadWidth: 46
                    lead: modelData.start
                    title: modelData.client || modelData.service
                    detail: [modelData.client ? modelData.service : "", modelData.staff]
                            .filter(function (t) { return t }).join(" · ")
                    badge: modelData.badge
                    badgeTone: modelData.tone
                    Accessible.name: modelData.start + ", " + modelData.service + " for " + modelData.client
                                     + ", " + modelData.with + (modelData.past ? ", earlier" : "")
                                     + (modelData.status ? ", " + modelData.status : "")
                }
            }
        }
    }

    // -- free slots ----------------------------------------------------------------------------
    Repeater {
        model: card.layout === "availability" ? card.groups : []
        delegate: ColumnLayout {
            required property var modelData
            Layout.fillWidth: true
            spacing: 8

            SectionTitle {
                text: modelData.day === modelData.date ? modelData.day : modelData.day + " · " + modelData.date
            }
            Flow {
                Layout.fillWidth: true
                spacing: 6
                Repeater {
                    model: modelData.items
                    delegate: Rectangle {
                        required property var modelData
                        implicitWidth: slotColumn.implicitWidth + 20
                        implicitHeight: slotColumn.implicitHeight + 10
                        radius: Theme.radiusSmall
                        color: Theme.accentSoft
                        Accessible.role: Accessible.StaticText
                        Accessible.name: "Free at " + modelData.start + (modelData.detail ? " with " + modelData.detail : "")
                        Column {
                            id: slotColumn
                            anchors.centerIn: parent
                            Label {
                                anchors.horizontalCenter: parent.horizontalCenter
                                text: modelData.start
                                color: Theme.accent
                                font.pixelSize: Theme.fontSmall + 1
                                font.weight: Font.DemiBold
                                font.features: { "tnum": 1 }
                            }
                            Label {
                                anchors.horizontalCenter: parent.horizontalCenter
                                visible: text.length > 0
                                text: modelData.detail.split(" ")[0]
                                color: Theme.textMuted
                                font.pixelSize: Theme.fontCaption
                            }
                        }
                    }
                }
            }
        }
    }

    Label {
        Layout.fillWidth: true
        visible: card.layout !== "single" && !!card.cardData.empty
        text: card.layout === "availability" ? "No free slots in that period." : "No appointments."
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall + 1
    }
    MoreNote {
        count: card.layout !== "single" ? card.cardData.more || 0 : 0
    }
}

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ".."

// One row of a list card: a leading text or slot, title and detail, an amount and a badge on
// the right.
RowLayout {
    id: row
    property string lead
    property string title
    property string detail
    property string value
    property color valueColor: Theme.text
    property string badge
    property string badgeTone: "muted"
    property int leadWidth: 0
    default property alias leading: leadSlot.data

    spacing: 10
    Accessible.role: Accessible.ListItem
    Accessible.name: [lead, title, detail, value, badge].filter(function (t) { return t }).join(", ")

    Item {
        id: leadSlot
        visible: row.leadWidth > 0
        Layout.preferredWidth: row.leadWidth
        Layout.preferredHeight: childrenRect.height
        Layout.alignment: Qt.AlignTop
        Label {
            visible: row.lead.length > 0
            width: row.leadWidth
            text: row.lead
            color: Theme.text
            font.pixelSize: Theme.fontSmall + 1
            font.weight: Font.DemiBold
            font.features: { "tnum": 1 }
        }
    }
    ColumnLayout {
        Layout.fillWidth: true
        spacing: 1
        Label {
            Layout.fillWidth: true
            text: row.title
            color: Theme.text
            font.pixelSize: Theme.fontSmall + 1
            font.weight: Font.Medium
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }
        Label {
            Layout.fillWidth: true
            visible: text.length > 0
            text: row.detail
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }
    }
    ColumnLayout {
        Layout.alignment: Qt.AlignTop
        spacing: 3
        visible: row.value.length > 0 || row.badge.length > 0
        Label {
            Layout.alignment: Qt.AlignRight
            visible: text.length > 0
            text: row.value
            color: row.valueColor
            font.pixelSize: Theme.fontSmall + 1
            font.weight: Font.DemiBold
            font.features: { "tnum": 1 }
        }
        Badge {
            Layout.alignment: Qt.AlignRight
            visible: row.badge.length > 0
            text: row.badge
            tone: row.badgeTone
        }
    }
}

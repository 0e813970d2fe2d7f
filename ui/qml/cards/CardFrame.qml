import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ".."
import "card.js" as C

// The frame every rich card shares: a rounded surface, a header (tinted icon, title, subtitle,
// a badge or note on the right), the card's own content, and — once resolved — its outcome.
// Cards declare the roles CardHost passes (cardType, cardData, cardState, cardOutcome, row)
// through this root.
Rectangle {
    id: frame

    property string cardType
    property var cardData: ({})
    property string cardState
    property string cardOutcome
    property int row: -1

    readonly property bool open: cardState === "open"
    readonly property bool resolved: cardState === "resolved"
    property color accent: Theme.accent
    property bool emphasised: false
    property string iconPath: C.icons.list
    property string avatarInitials
    property string title
    property string subtitle
    property string badge
    property string badgeTone: "muted"
    property color badgeColor: C.toneColor(Theme, badgeTone)
    property string note
    property color noteColor: Theme.textMuted
    property bool showOutcome: resolved && cardOutcome.length > 0
    readonly property int inset: 14
    default property alias content: body.data

    implicitHeight: column.implicitHeight + 2 * inset
    radius: Theme.radius
    color: emphasised ? Qt.tint(Theme.surfaceRaised, Qt.alpha(accent, Theme.dark ? 0.07 : 0.045))
                      : Theme.surfaceRaised
    border.width: 1
    border.color: emphasised ? Qt.alpha(accent, Theme.dark ? 0.55 : 0.45) : Theme.border
    Accessible.role: Accessible.Grouping
    Accessible.name: title + (subtitle ? ". " + subtitle : "") + (showOutcome ? ". " + cardOutcome : "")

    ColumnLayout {
        id: column
        x: frame.inset
        y: frame.inset
        width: frame.width - 2 * frame.inset
        spacing: 12

        RowLayout {
            objectName: "cardHeader"
            Layout.fillWidth: true
            spacing: 10

            Avatar {
                Layout.alignment: Qt.AlignTop
                visible: frame.avatarInitials.length > 0
                initials: frame.avatarInitials
                size: 40
            }
            Rectangle {
                Layout.alignment: Qt.AlignTop
                Layout.preferredWidth: 34
                Layout.preferredHeight: 34
                visible: frame.avatarInitials.length === 0
                radius: 10
                color: Qt.alpha(frame.accent, Theme.dark ? 0.2 : 0.12)
                Icon {
                    anchors.centerIn: parent
                    path: frame.iconPath
                    size: 18
                    strokeWidth: 1.7
                    color: frame.accent
                }
            }
            ColumnLayout {
                Layout.fillWidth: true
                Layout.alignment: Qt.AlignVCenter
                spacing: 1
                Label {
                    objectName: "cardTitle"
                    Layout.fillWidth: true
                    text: frame.title
                    color: Theme.text
                    font.pixelSize: Theme.fontTitle
                    font.weight: Font.DemiBold
                    wrapMode: Text.Wrap
                }
                Label {
                    Layout.fillWidth: true
                    visible: text.length > 0
                    text: frame.subtitle
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.Wrap
                }
            }
            Badge {
                Layout.alignment: Qt.AlignVCenter
                visible: frame.badge.length > 0
                text: frame.badge
                toneColor: frame.badgeColor
            }
            Label {
                objectName: "cardNote"
                Layout.alignment: Qt.AlignVCenter
                visible: text.length > 0
                text: frame.note
                color: frame.noteColor
                font.pixelSize: Theme.fontSmall
                font.features: { "tnum": 1 }
            }
        }

        ColumnLayout {
            id: body
            Layout.fillWidth: true
            spacing: 8
        }

        Rectangle {
            objectName: "outcome"
            Layout.fillWidth: true
            visible: frame.showOutcome
            implicitHeight: outcomeRow.implicitHeight + 14
            radius: Theme.radiusSmall
            color: Theme.surface
            Accessible.role: Accessible.StaticText
            Accessible.name: "Outcome: " + frame.cardOutcome

            RowLayout {
                id: outcomeRow
                x: 10
                y: 7
                width: parent.width - 20
                spacing: 8
                Icon {
                    Layout.alignment: Qt.AlignTop
                    path: C.negativeOutcome(frame.cardOutcome) ? C.icons.cross : C.icons.check
                    size: 16
                    color: C.negativeOutcome(frame.cardOutcome) ? Theme.textMuted : Theme.success
                }
                Label {
                    objectName: "outcomeText"
                    Layout.fillWidth: true
                    text: frame.cardOutcome
                    color: Theme.text
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.Wrap
                }
            }
        }
    }
}

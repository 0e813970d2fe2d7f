import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ".."
import "card.js" as C

// Money: what is available (per account and in all), a trend line when the data has one (a
// statement's daily closing balances), and recent transactions, money in shown in green.
CardFrame {
    id: card
    objectName: "balanceCard"

    readonly property var accounts: cardData.accounts || []
    readonly property var transactions: cardData.transactions || []
    readonly property var trend: cardData.trend || []

    accent: Theme.success
    iconPath: C.icons.wallet
    title: cardData.title || "Balance"
    subtitle: cardData.subtitle || ""
    Accessible.name: title + ": " + (cardData.headline_label || "") + " " + (cardData.headline || "")

    RowLayout {
        objectName: "headline"
        Layout.fillWidth: true
        visible: !!card.cardData.headline
        spacing: 12
        ColumnLayout {
            spacing: 0
            Label {
                text: card.cardData.headline || ""
                color: Theme.text
                font.pixelSize: Theme.fontHeading + 6
                font.weight: Font.Bold
                font.features: { "tnum": 1 }
            }
            Label {
                text: card.cardData.headline_label || ""
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
            }
        }
        Sparkline {
            objectName: "sparkline"
            Layout.fillWidth: true
            Layout.preferredHeight: 44
            Layout.alignment: Qt.AlignVCenter
            visible: card.trend.length > 1
            points: card.trend
            lineColor: card.trend.length > 1 && card.trend[card.trend.length - 1] < card.trend[0]
                       ? Theme.danger : Theme.success
        }
    }

    Repeater {
        model: card.accounts
        delegate: ColumnLayout {
            required property var modelData
            required property int index
            Layout.fillWidth: true
            spacing: 8
            Divider {}
            ListRow {
                Layout.fillWidth: true
                title: modelData.name
                detail: modelData.detail
                value: modelData.amount
            }
        }
    }

    SectionTitle {
        visible: card.transactions.length > 0 && card.accounts.length > 0
        text: "Recent transactions"
    }
    Repeater {
        model: card.transactions
        delegate: ColumnLayout {
            required property var modelData
            required property int index
            Layout.fillWidth: true
            spacing: 8
            Divider { visible: index > 0 || !!card.cardData.headline }
            ListRow {
                Layout.fillWidth: true
                leadWidth: 28
                title: modelData.counterparty
                detail: [modelData.day, modelData.description !== modelData.counterparty ? modelData.description : ""]
                        .filter(function (t) { return t }).join(" · ")
                value: modelData.amount
                valueColor: modelData.incoming ? Theme.success : Theme.text
                badge: modelData.pending ? "Pending" : ""
                badgeTone: "warning"

                Rectangle {
                    width: 28
                    height: 28
                    radius: 14
                    color: Qt.alpha(modelData.incoming ? Theme.success : Theme.textMuted, Theme.dark ? 0.2 : 0.1)
                    Icon {
                        anchors.centerIn: parent
                        path: modelData.incoming ? C.icons.arrowIn : C.icons.arrowOut
                        size: 14
                        color: modelData.incoming ? Theme.success : Theme.textMuted
                    }
                }
            }
        }
    }
    Label {
        Layout.fillWidth: true
        visible: !!card.cardData.empty
        text: "No transactions in that period."
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall + 1
    }
    MoreNote {
        count: card.cardData.more || 0
    }
}

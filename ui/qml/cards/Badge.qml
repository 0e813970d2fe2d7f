import QtQuick
import QtQuick.Controls
import ".."
import "card.js" as C

// A small status pill ("Paid", "Overdue") tinted by its tone.
Rectangle {
    id: badge
    property string text
    property string tone: "muted"
    property color toneColor: C.toneColor(Theme, tone)

    implicitWidth: label.implicitWidth + 14
    implicitHeight: label.implicitHeight + 4
    radius: height / 2
    color: Qt.alpha(toneColor, Theme.dark ? 0.2 : 0.12)
    Accessible.role: Accessible.StaticText
    Accessible.name: text

    Label {
        id: label
        anchors.centerIn: parent
        text: badge.text
        color: badge.toneColor
        font.pixelSize: Theme.fontCaption
        font.weight: Font.DemiBold
    }
}

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A page of the Settings window: a title, a line about it, then its groups, scrolling when
// they do not fit. Children go into the column.
ScrollView {
    id: page
    property string title
    property string subtitle
    default property alias content: column.data

    clip: true
    contentWidth: availableWidth
    ScrollBar.horizontal.policy: ScrollBar.AlwaysOff

    ColumnLayout {
        id: column
        width: page.availableWidth
        spacing: 14

        Item { Layout.preferredHeight: 10 }
        Label {
            Layout.fillWidth: true
            Layout.leftMargin: 28
            Layout.rightMargin: 28
            text: page.title
            color: Theme.text
            font.pixelSize: Math.round(Theme.fontHeading * 1.2)
            font.weight: Font.DemiBold
            Accessible.role: Accessible.Heading
            Accessible.name: text
        }
        Label {
            Layout.fillWidth: true
            Layout.leftMargin: 28
            Layout.rightMargin: 28
            Layout.topMargin: -8
            visible: page.subtitle.length > 0
            text: page.subtitle
            wrapMode: Text.WordWrap
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall + 1
        }
    }
}

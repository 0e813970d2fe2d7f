import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ".."

// A label and its value on one line (the value wraps under itself), e.g. "Client   Sarah Miller".
RowLayout {
    id: row
    property string label
    property string value
    property bool strong: false
    property color valueColor: Theme.text
    property int labelWidth: 96

    spacing: 10
    Accessible.role: Accessible.StaticText
    Accessible.name: label + ": " + value

    Label {
        Layout.preferredWidth: row.labelWidth
        Layout.alignment: Qt.AlignTop
        text: row.label
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
        elide: Text.ElideRight
        topPadding: 1
    }
    Label {
        Layout.fillWidth: true
        text: row.value
        color: row.valueColor
        font.pixelSize: Theme.fontSmall + 1
        font.weight: row.strong ? Font.DemiBold : Font.Normal
        wrapMode: Text.Wrap
    }
}

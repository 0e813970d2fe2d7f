import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ".."

// "and 7 more" under a shortened list.
Label {
    property int count: 0
    Layout.fillWidth: true
    visible: count > 0
    text: "and " + count + " more"
    color: Theme.textMuted
    font.pixelSize: Theme.fontSmall
    font.italic: true
}

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ".."

// A small heading inside a card ("Lines", "Accounts", "Tomorrow").
Label {
    Layout.fillWidth: true
    color: Theme.textMuted
    font.pixelSize: Theme.fontCaption
    font.weight: Font.DemiBold
    font.capitalization: Font.AllUppercase
    font.letterSpacing: 0.6
    elide: Text.ElideRight
    Accessible.role: Accessible.Heading
    Accessible.name: text
}

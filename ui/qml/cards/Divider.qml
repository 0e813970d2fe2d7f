import QtQuick
import QtQuick.Layouts
import ".."

// A hairline between parts of a card.
Rectangle {
    Layout.fillWidth: true
    Layout.preferredHeight: 1
    implicitHeight: 1
    color: Theme.border
}

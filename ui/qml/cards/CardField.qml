import QtQuick
import QtQuick.Controls
import ".."

// A text field in the cards' style (the typed phrase, edited arguments).
TextField {
    id: field
    property bool invalid: false

    color: Theme.text
    placeholderTextColor: Theme.textMuted
    selectionColor: Theme.accent
    selectedTextColor: Theme.accentText
    font.pixelSize: Theme.fontSmall + 1
    leftPadding: 10
    rightPadding: 10
    topPadding: 7
    bottomPadding: 7
    selectByMouse: true
    Accessible.role: Accessible.EditableText

    background: Rectangle {
        radius: Theme.radiusSmall
        color: Theme.surface
        border.width: field.activeFocus ? 2 : 1
        border.color: field.invalid ? Theme.danger : field.activeFocus ? Theme.focusRing : Theme.border
    }
}

import QtQuick
import QtQuick.Controls

// A text field for one setting of `settingsModel` (`setting` = its name): shows the draft
// value, hands the text back when editing ends (Enter, Tab or leaving the field). Without
// `setting` it is a plain field (keys, hotkey).
TextField {
    id: field
    property string setting
    property string accessibleName
    readonly property bool bound: setting.length > 0
    readonly property bool invalid: bound && settingsModel.errors[setting] !== undefined

    Accessible.role: Accessible.EditableText
    Accessible.name: accessibleName
    Accessible.description: bound ? settingsModel.describe(setting) : ""
    implicitHeight: Math.max(36, contentHeight + 16)
    leftPadding: 12
    rightPadding: 12
    text: bound ? String(settingsModel.values[setting]) : ""
    placeholderText: bound && settingsModel.placeholders[setting] !== undefined
                     ? settingsModel.placeholders[setting] : ""
    color: Theme.text
    placeholderTextColor: Theme.textMuted
    selectionColor: Theme.accent
    selectedTextColor: Theme.accentText
    font.pixelSize: Theme.fontBody
    selectByMouse: true
    onEditingFinished: if (bound && text !== String(settingsModel.values[setting])) settingsModel.setValue(setting, text)

    background: Rectangle {
        radius: Theme.radiusSmall + 2
        color: Theme.background
        border.width: field.activeFocus || field.invalid ? 2 : 1
        border.color: field.invalid ? Theme.danger : field.activeFocus ? Theme.accent : Theme.border
    }
}

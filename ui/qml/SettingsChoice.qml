import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A segmented choice: `options` is a list of {value, label}; `current` the chosen value.
// Tab reaches each segment; Left/Right move between them; Space or Enter picks.
Rectangle {
    id: choice
    property var options: []
    property string current
    property string accessibleName
    signal picked(string value)

    implicitWidth: segments.implicitWidth + 6
    implicitHeight: 36
    radius: Theme.radiusSmall + 3
    color: Theme.dark ? Theme.background : "#e9e9ef"
    Accessible.role: Accessible.Grouping
    Accessible.name: accessibleName

    Row {
        id: segments
        anchors.centerIn: parent
        spacing: 2

        Repeater {
            id: repeater
            model: choice.options
            delegate: AbstractButton {
                id: segment
                required property var modelData
                required property int index
                readonly property bool selected: modelData.value === choice.current
                objectName: "choice_" + modelData.value
                text: modelData.label
                focusPolicy: Qt.StrongFocus
                hoverEnabled: true
                implicitWidth: Math.max(64, label.implicitWidth + 26)
                implicitHeight: 30
                Accessible.role: Accessible.RadioButton
                Accessible.name: choice.accessibleName + ": " + text
                Accessible.checkable: true
                Accessible.checked: selected
                onClicked: choice.picked(modelData.value)
                Keys.onReturnPressed: choice.picked(modelData.value)
                Keys.onEnterPressed: choice.picked(modelData.value)
                Keys.onLeftPressed: if (index > 0) repeater.itemAt(index - 1).forceActiveFocus(Qt.TabFocusReason)
                Keys.onRightPressed: if (index < repeater.count - 1) repeater.itemAt(index + 1).forceActiveFocus(Qt.TabFocusReason)

                contentItem: Label {
                    id: label
                    text: segment.text
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                    color: segment.selected ? Theme.text : Theme.textMuted
                    font.pixelSize: Theme.fontSmall + 1
                    font.weight: segment.selected ? Font.DemiBold : Font.Normal
                }
                background: Rectangle {
                    radius: Theme.radiusSmall + 1
                    color: segment.selected ? Theme.surfaceRaised
                         : segment.hovered ? Theme.surfaceHover : "transparent"
                    border.width: segment.visualFocus ? 2 : (segment.selected && !Theme.dark ? 1 : 0)
                    border.color: segment.visualFocus ? Theme.focusRing : Theme.border
                }
            }
        }
    }
}

import QtQuick
import QtQuick.Controls

// A drop-down list of {name, value} entries; `current` is the chosen value.
ComboBox {
    id: combo
    property string current
    property string accessibleName
    signal picked(string value)

    textRole: "name"
    valueRole: "value"
    currentIndex: Math.max(0, indexOfValue(current))
    focusPolicy: Qt.StrongFocus
    implicitHeight: 36
    font.pixelSize: Theme.fontBody
    Accessible.role: Accessible.ComboBox
    Accessible.name: accessibleName + ": " + displayText
    onActivated: index => picked(valueAt(index))

    contentItem: Label {
        leftPadding: 12
        rightPadding: combo.indicator.width + 8
        text: combo.displayText
        color: Theme.text
        font: combo.font
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
    }
    indicator: Icon {
        x: combo.width - width - 12
        anchors.verticalCenter: parent.verticalCenter
        path: "M7 10l5 5 5-5"
        size: 16
        color: Theme.textMuted
    }
    background: Rectangle {
        radius: Theme.radiusSmall + 2
        color: combo.hovered ? Theme.surfaceHover : Theme.background
        border.width: combo.visualFocus ? 2 : 1
        border.color: combo.visualFocus ? Theme.focusRing : Theme.border
    }
    delegate: ItemDelegate {
        id: entry
        required property var modelData
        required property int index
        width: combo.width - 8
        x: 4
        text: modelData.name
        highlighted: combo.highlightedIndex === index
        Accessible.name: text
        contentItem: Label {
            text: entry.text
            color: Theme.text
            font.pixelSize: Theme.fontBody
            elide: Text.ElideRight
            verticalAlignment: Text.AlignVCenter
        }
        background: Rectangle {
            radius: Theme.radiusSmall
            color: entry.highlighted ? Theme.accentSoft : "transparent"
        }
    }
    popup: Popup {
        y: combo.height + 4
        width: combo.width
        implicitHeight: Math.min(contentItem.implicitHeight + 8, 260)
        padding: 4
        contentItem: ListView {
            clip: true
            implicitHeight: contentHeight
            model: combo.popup.visible ? combo.delegateModel : null
            currentIndex: combo.highlightedIndex
        }
        background: Rectangle {
            radius: Theme.radiusSmall + 2
            color: Theme.surfaceRaised
            border.color: Theme.border
        }
    }
}

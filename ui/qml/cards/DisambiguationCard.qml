import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ".."
import "card.js" as C

// "Which client did you mean?": numbered options with what tells them apart. Click one, or
// press its number (1–9) while the card has focus; "None of these" answers no.
CardFrame {
    id: card
    objectName: "disambiguationCard"

    readonly property var candidates: cardData.candidates || []
    property bool submitted: false

    function pick(index) {
        if (!open || submitted || index < 0 || index >= candidates.length)
            return
        submitted = true
        chat.choose(cardData.call_id, candidates[index].id)
    }
    function pickNone() {
        if (!open || submitted)
            return
        submitted = true
        chat.choose(cardData.call_id, null)
    }

    accent: Theme.accent
    emphasised: open
    iconPath: C.icons.help
    title: cardData.question || "Which one did you mean?"
    subtitle: open && cardData.reference
              ? "“" + cardData.reference + "” matches " + candidates.length + ". Pick one or press its number."
              : ""
    Accessible.name: title + " " + candidates.length + " options"

    Keys.onPressed: event => {
        var number = event.key - Qt.Key_1
        if (open && number >= 0 && number < Math.min(9, candidates.length)) {
            card.pick(number)
            event.accepted = true
        }
    }
    Connections {
        target: chat
        function onBusyChanged() {
            if (!chat.busy)
                card.submitted = false
        }
    }

    ColumnLayout {
        objectName: "options"
        Layout.fillWidth: true
        visible: card.open
        enabled: !card.submitted
        spacing: 6

        Repeater {
            model: card.open ? card.candidates : []
            delegate: ItemDelegate {
                id: option
                required property var modelData
                required property int index
                objectName: "candidate" + (index + 1)
                Layout.fillWidth: true
                focusPolicy: Qt.StrongFocus
                hoverEnabled: true
                padding: 10
                Accessible.role: Accessible.Button
                Accessible.name: "Option " + (index + 1) + ": " + modelData.label
                                 + (modelData.detail ? ", " + modelData.detail : "")
                Keys.onReturnPressed: card.pick(index)
                Keys.onEnterPressed: card.pick(index)
                onClicked: card.pick(index)

                background: Rectangle {
                    radius: Theme.radiusSmall + 2
                    color: option.down ? Theme.surfaceHover : option.hovered ? Theme.surface : Theme.surfaceRaised
                    border.width: option.visualFocus ? 2 : 1
                    border.color: option.visualFocus ? Theme.focusRing : option.hovered ? Theme.accent : Theme.border
                }
                contentItem: RowLayout {
                    spacing: 10
                    Rectangle {
                        Layout.alignment: Qt.AlignTop
                        Layout.preferredWidth: 24
                        Layout.preferredHeight: 24
                        radius: 12
                        color: option.hovered || option.visualFocus ? Theme.accent : Theme.accentSoft
                        Label {
                            anchors.centerIn: parent
                            text: option.index + 1
                            color: option.hovered || option.visualFocus ? Theme.accentText : Theme.accent
                            font.pixelSize: Theme.fontSmall
                            font.weight: Font.Bold
                        }
                    }
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 1
                        Label {
                            Layout.fillWidth: true
                            text: option.modelData.label
                            color: Theme.text
                            font.pixelSize: Theme.fontBody
                            font.weight: Font.DemiBold
                            wrapMode: Text.Wrap
                        }
                        Label {
                            Layout.fillWidth: true
                            visible: text.length > 0
                            text: option.modelData.detail || ""
                            color: Theme.textMuted
                            font.pixelSize: Theme.fontSmall
                            wrapMode: Text.Wrap
                        }
                    }
                }
            }
        }

        CardButton {
            objectName: "noneButton"
            kind: "quiet"
            text: "None of these"
            accessibleName: "None of these options"
            onClicked: card.pickNone()
        }
    }
}

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// What Luma is focused on (the working context: "Sarah Miller", "INV-0042"), each removable;
// without a focus, today's briefing in one line.
Rectangle {
    id: bar
    objectName: "contextBar"
    readonly property bool hasFocus: contextBar.focus.length > 0
    readonly property string briefing: greeter.highlights.join(" · ")
    readonly property int shown: windowState.expanded ? 6 : 2

    // The briefing line stands in for the greeting once that is scrolled away or gone.
    readonly property bool showBriefing: briefing.length > 0 && (!chat.fresh || chat.messages.count > 0)

    visible: hasFocus || showBriefing
    implicitHeight: visible ? 34 : 0
    color: Theme.surface
    clip: true
    Accessible.role: Accessible.StatusBar
    Accessible.name: hasFocus ? "Focused on " + contextBar.summary : "Today: " + briefing

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.padding
        anchors.rightMargin: Theme.padding
        spacing: 6

        Label {
            text: bar.hasFocus ? "Focus" : "Today"
            color: Theme.textMuted
            font.pixelSize: Theme.fontCaption
            font.weight: Font.DemiBold
            font.capitalization: Font.AllUppercase
        }
        Repeater {
            model: contextBar.focus.slice(0, bar.shown)
            delegate: Rectangle {
                id: focusChip
                required property var modelData
                Layout.maximumWidth: windowState.expanded ? 200 : 150
                implicitWidth: focusRow.implicitWidth + 12
                implicitHeight: 24
                radius: 12
                color: Theme.accentSoft

                RowLayout {
                    id: focusRow
                    anchors.fill: parent
                    anchors.leftMargin: 8
                    anchors.rightMargin: 2
                    spacing: 0
                    Label {
                        Layout.fillWidth: true
                        text: focusChip.modelData.label
                        elide: Text.ElideRight
                        color: Theme.accent
                        font.pixelSize: Theme.fontSmall
                        ToolTip.visible: focusArea.containsMouse
                        ToolTip.text: focusChip.modelData.kind + ": " + focusChip.modelData.label
                        MouseArea {
                            id: focusArea
                            anchors.fill: parent
                            hoverEnabled: true
                            acceptedButtons: Qt.NoButton
                        }
                    }
                    IconButton {
                        implicitWidth: 20
                        implicitHeight: 20
                        iconSize: 10
                        iconColor: Theme.accent
                        text: "Stop focusing on " + focusChip.modelData.label
                        iconPath: Icons.close
                        onClicked: contextBar.forget(focusChip.modelData.kind)
                    }
                }
            }
        }
        Label {
            visible: contextBar.focus.length > bar.shown
            text: "+" + (contextBar.focus.length - bar.shown)
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
            ToolTip.visible: moreArea.containsMouse
            ToolTip.text: contextBar.summary
            MouseArea {
                id: moreArea
                anchors.fill: parent
                hoverEnabled: true
                acceptedButtons: Qt.NoButton
            }
        }
        Label {
            Layout.fillWidth: true
            visible: !bar.hasFocus
            text: bar.briefing
            elide: Text.ElideRight
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }
        Item {
            Layout.fillWidth: true
            visible: bar.hasFocus
        }
    }
}

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The expanded window's side panel: search, then the conversations (most recent first) with
// rename, archive and delete on each.
Rectangle {
    id: panel
    objectName: "conversationList"
    color: Theme.surface

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 10
        spacing: 8

        TextField {
            id: search
            objectName: "conversationSearch"
            Layout.fillWidth: true
            placeholderText: "Search conversations"
            text: conversations.query
            font.pixelSize: Theme.fontBody
            color: Theme.text
            placeholderTextColor: Theme.textMuted
            leftPadding: 32
            Accessible.role: Accessible.EditableText
            Accessible.name: "Search conversations"
            onTextEdited: conversations.query = text
            Keys.onEscapePressed: event => {
                if (text.length > 0) {
                    conversations.query = ""
                    event.accepted = true
                } else {
                    event.accepted = false
                }
            }
            background: Rectangle {
                radius: Theme.radiusSmall
                color: Theme.background
                border.color: search.activeFocus ? Theme.accent : Theme.border
            }
            Icon {
                x: 9
                anchors.verticalCenter: parent.verticalCenter
                path: Icons.search
                size: 15
                color: Theme.textMuted
            }
        }

        CheckBox {
            id: archivedBox
            objectName: "showArchived"
            text: "Show archived"
            checked: conversations.showArchived
            Accessible.name: "Show archived conversations"
            onToggled: conversations.showArchived = checked

            indicator: Rectangle {
                x: archivedBox.leftPadding
                anchors.verticalCenter: parent.verticalCenter
                implicitWidth: 16
                implicitHeight: 16
                radius: 4
                color: archivedBox.checked ? Theme.accent : Theme.background
                border.color: archivedBox.visualFocus ? Theme.focusRing
                              : archivedBox.checked ? Theme.accent : Theme.border
                border.width: archivedBox.visualFocus ? 2 : 1
                Icon {
                    anchors.centerIn: parent
                    visible: archivedBox.checked
                    path: Icons.check
                    size: 12
                    strokeWidth: 2.4
                    color: Theme.accentText
                }
            }
            contentItem: Label {
                leftPadding: archivedBox.indicator.width + 8
                verticalAlignment: Text.AlignVCenter
                text: archivedBox.text
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
            }
        }

        ListView {
            id: list
            objectName: "conversationListView"
            Layout.fillWidth: true
            Layout.fillHeight: true
            model: conversations
            clip: true
            spacing: 2
            activeFocusOnTab: true
            keyNavigationEnabled: true
            Accessible.role: Accessible.List
            Accessible.name: "Conversations"
            ScrollBar.vertical: ScrollBar {}

            delegate: ItemDelegate {
                id: entry
                required property int index
                required property int conversationId
                required property string title
                required property string snippet
                required property string when
                required property bool archived
                required property int messageCount
                property bool editing: false

                width: ListView.view.width
                highlighted: conversationId === conversations.currentId
                text: title
                hoverEnabled: true
                Accessible.name: title + (archived ? " (archived)" : "") + ", " + when
                onClicked: if (!editing) conversations.open(conversationId)
                Keys.onReturnPressed: if (!editing) conversations.open(conversationId)

                background: Rectangle {
                    radius: Theme.radiusSmall
                    color: entry.highlighted ? Theme.accentSoft
                           : entry.hovered ? Theme.surfaceHover : "transparent"
                    border.width: entry.visualFocus ? 2 : 0
                    border.color: Theme.focusRing
                }
                contentItem: ColumnLayout {
                    spacing: 2
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: 4
                        Label {
                            Layout.fillWidth: true
                            visible: !entry.editing
                            text: entry.title
                            elide: Text.ElideRight
                            color: Theme.text
                            font.pixelSize: Theme.fontBody
                            font.italic: entry.archived
                        }
                        TextField {
                            id: titleField
                            objectName: "renameField"
                            Layout.fillWidth: true
                            visible: entry.editing
                            text: entry.title
                            font.pixelSize: Theme.fontBody
                            Accessible.name: "New title for " + entry.title
                            onAccepted: {
                                conversations.rename(entry.conversationId, text)
                                entry.editing = false
                            }
                            Keys.onEscapePressed: entry.editing = false
                        }
                        Label {
                            visible: !entry.editing && !(entry.hovered || entry.activeFocus)
                            text: entry.when
                            color: Theme.textMuted
                            font.pixelSize: Theme.fontCaption
                        }
                        Row {
                            visible: !entry.editing && (entry.hovered || entry.activeFocus || actions.activeFocus)
                            id: actions
                            spacing: 0
                            IconButton {
                                implicitWidth: 24
                                implicitHeight: 24
                                iconSize: 13
                                text: "Rename " + entry.title
                                iconPath: Icons.edit
                                onClicked: {
                                    entry.editing = true
                                    titleField.forceActiveFocus()
                                    titleField.selectAll()
                                }
                            }
                            IconButton {
                                implicitWidth: 24
                                implicitHeight: 24
                                iconSize: 13
                                text: (entry.archived ? "Unarchive " : "Archive ") + entry.title
                                iconPath: Icons.archive
                                onClicked: conversations.archive(entry.conversationId, !entry.archived)
                            }
                            IconButton {
                                implicitWidth: 24
                                implicitHeight: 24
                                iconSize: 13
                                iconColor: Theme.danger
                                text: "Delete " + entry.title
                                iconPath: Icons.trash
                                onClicked: deleteDialog.ask(entry.conversationId, entry.title)
                            }
                        }
                    }
                    Label {
                        Layout.fillWidth: true
                        visible: text.length > 0 && !entry.editing
                        text: entry.snippet
                        elide: Text.ElideRight
                        maximumLineCount: 1
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSmall
                    }
                }
            }
        }

        Label {
            Layout.fillWidth: true
            visible: list.count === 0 && !conversations.loading
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            text: conversations.query.length > 0 ? "No conversation mentions “" + conversations.query + "”."
                                                 : "Your conversations will appear here."
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }
    }

    Dialog {
        id: deleteDialog
        objectName: "deleteDialog"
        property int conversationId: -1
        property string conversationTitle

        function ask(id, title) {
            conversationId = id
            conversationTitle = title
            open()
        }

        anchors.centerIn: Overlay.overlay
        width: Math.min(320, panel.Window.width - 40)
        modal: true
        title: "Delete this conversation?"

        Label {
            width: parent.width
            wrapMode: Text.Wrap
            text: "“" + deleteDialog.conversationTitle + "” and its messages will be removed for good."
            color: Theme.text
            font.pixelSize: Theme.fontBody
        }
        footer: DialogButtonBox {
            Button {
                text: "Keep"
                DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            }
            Button {
                objectName: "confirmDelete"
                text: "Delete"
                DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
            }
        }
        onAccepted: conversations.remove(conversationId)
    }
}

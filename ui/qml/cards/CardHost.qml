import QtQuick
import ".."

// A card in the message list: loads cards/<Type>Card.qml for its `cardType` (the model's
// `cardFile` role; TextCard.qml when that type has no card yet) and passes it the card's roles.
// Every card declares: cardType, cardData, cardState, cardOutcome, row (see ui/README.md).
Item {
    id: host

    required property int index
    required property string cardType
    required property var cardData
    required property string cardState
    required property string cardOutcome
    required property string cardFile
    property bool current: false

    implicitHeight: loader.item ? loader.item.implicitHeight : 0
    height: implicitHeight
    Accessible.role: Accessible.ListItem
    Accessible.name: loader.item && loader.item.Accessible.name ? loader.item.Accessible.name : cardType + " card"

    Loader {
        id: loader
        objectName: "cardLoader"
        x: Theme.padding
        width: host.width - 2 * Theme.padding
        source: host.cardFile
    }
    Binding {
        when: loader.status === Loader.Ready
        target: loader.item
        property: "cardType"
        value: host.cardType
    }
    Binding {
        when: loader.status === Loader.Ready
        target: loader.item
        property: "cardData"
        value: host.cardData
    }
    Binding {
        when: loader.status === Loader.Ready
        target: loader.item
        property: "cardState"
        value: host.cardState
    }
    Binding {
        when: loader.status === Loader.Ready
        target: loader.item
        property: "cardOutcome"
        value: host.cardOutcome
    }
    Binding {
        when: loader.status === Loader.Ready
        target: loader.item
        property: "row"
        value: host.index
    }
    Rectangle {
        anchors.fill: loader
        anchors.margins: -3
        visible: host.current
        color: "transparent"
        radius: Theme.radius
        border.width: 2
        border.color: Theme.focusRing
    }
}

import QtQuick
import QtQuick.Controls
import ".."

// A round avatar with initials.
Rectangle {
    id: avatar
    property string initials: "?"
    property real size: 40

    implicitWidth: size
    implicitHeight: size
    radius: size / 2
    gradient: Gradient {
        GradientStop { position: 0; color: Qt.alpha(Theme.accent, Theme.dark ? 0.45 : 0.22) }
        GradientStop { position: 1; color: Qt.alpha(Theme.accent, Theme.dark ? 0.25 : 0.1) }
    }
    Accessible.ignored: true

    Label {
        anchors.centerIn: parent
        text: avatar.initials
        color: Theme.dark ? Theme.text : Theme.accent
        font.pixelSize: Math.round(avatar.size * 0.38)
        font.weight: Font.DemiBold
    }
}

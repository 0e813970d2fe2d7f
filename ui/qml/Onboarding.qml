import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Window
import "cards"
import "SettingsIcons.js" as SettingsIcons

// The first-run tour: welcome (what Luma can do), microphone check, optional keys, hotkey,
// done. Layout only: `onboarding` holds the step and what each step found; `keys` and
// `preferences` store the choices. Frameless and rounded like the chat window; dragged by
// its top. Alt+Right / Alt+Left move between steps.
Window {
    id: window
    objectName: "onboardingWindow"
    title: "Welcome to Luma"
    width: 580
    height: 640
    minimumWidth: 480
    minimumHeight: 560
    color: "transparent"
    flags: Qt.Window | Qt.FramelessWindowHint

    readonly property int step: onboarding.step
    readonly property bool last: step === onboarding.steps.length - 1

    Binding {
        target: Theme
        property: "dark"
        value: preferences.dark
        restoreMode: Binding.RestoreNone
    }
    Binding {
        target: Theme
        property: "fontScale"
        value: preferences.fontScale
        restoreMode: Binding.RestoreNone
    }

    function keyEntry(name) {
        return keys.keys.find(entry => entry.name === name) || { source: "missing" }
    }
    function advance() {
        if (last)
            onboarding.finish()
        else
            onboarding.next()
    }

    Shortcut {
        sequence: "Alt+Right"
        onActivated: window.advance()
    }
    Shortcut {
        sequence: "Alt+Left"
        onActivated: onboarding.back()
    }

    Rectangle {
        id: frame
        objectName: "onboardingFrame"
        anchors.fill: parent
        radius: Theme.radius + 4
        color: Theme.background
        border.color: Theme.border
        border.width: 1

        ColumnLayout {
            anchors.fill: parent
            anchors.margins: 1
            spacing: 0

            // -- top: drag area, progress, skip ---------------------------------------------------
            Item {
                Layout.fillWidth: true
                Layout.preferredHeight: 56

                MouseArea {  // beneath the controls: dragging the empty top moves the window
                    anchors.fill: parent
                    onPressed: window.startSystemMove()
                }
                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: 28
                    anchors.rightMargin: 14
                    spacing: 6

                    Repeater {
                        model: onboarding.steps.length
                        delegate: Rectangle {
                            required property int index
                            Layout.preferredWidth: index === window.step ? 28 : 8
                            Layout.preferredHeight: 8
                            radius: 4
                            color: index <= window.step ? Theme.accent : Theme.border
                            Behavior on Layout.preferredWidth { NumberAnimation { duration: 180; easing.type: Easing.OutCubic } }
                        }
                    }
                    Label {
                        objectName: "stepCounter"
                        Layout.leftMargin: 8
                        text: "Step " + (window.step + 1) + " of " + onboarding.steps.length
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontCaption
                        Accessible.role: Accessible.StaticText
                        Accessible.name: text
                    }
                    Item { Layout.fillWidth: true }
                    CardButton {
                        objectName: "skipButton"
                        visible: !window.last
                        kind: "quiet"
                        text: "Skip setup"
                        accessibleName: "Skip the setup; you can run it again from Settings"
                        onClicked: onboarding.finish()
                    }
                }
            }

            StackLayout {
                id: pages
                objectName: "onboardingPages"
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.leftMargin: 36
                Layout.rightMargin: 36
                currentIndex: window.step

                // -- welcome ------------------------------------------------------------------
                ColumnLayout {
                    objectName: "step_welcome"
                    spacing: 14

                    Badge { icon: SettingsIcons.spark; gradientFill: true }
                    Title { text: "Welcome to Luma" }
                    Body {
                        text: "Your assistant for the business. Ask by voice or by typing: Luma books, bills, checks and reminds, and always asks before anything risky."
                    }
                    Label {
                        Layout.topMargin: 6
                        text: "TRY SAYING"
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontCaption
                        font.weight: Font.DemiBold
                        font.letterSpacing: 0.6
                    }
                    GridLayout {
                        objectName: "examples"
                        Layout.fillWidth: true
                        Layout.fillHeight: false
                        columns: 2
                        columnSpacing: 10
                        rowSpacing: 10

                        Repeater {
                            model: onboarding.examples
                            delegate: Rectangle {
                                id: tile
                                required property var modelData
                                Layout.fillWidth: true
                                Layout.fillHeight: true
                                Layout.preferredWidth: 1
                                implicitHeight: tileRow.implicitHeight + 24
                                radius: Theme.radius
                                color: Theme.surface
                                border.color: Theme.border
                                border.width: Theme.dark ? 1 : 0
                                Accessible.role: Accessible.StaticText
                                Accessible.name: modelData.title + ": " + modelData.text

                                RowLayout {
                                    id: tileRow
                                    anchors.left: parent.left
                                    anchors.right: parent.right
                                    anchors.top: parent.top
                                    anchors.margins: 12
                                    spacing: 10
                                    Rectangle {
                                        Layout.alignment: Qt.AlignTop
                                        Layout.preferredWidth: 30
                                        Layout.preferredHeight: 30
                                        radius: 15
                                        color: Theme.accentSoft
                                        Icon {
                                            anchors.centerIn: parent
                                            path: SettingsIcons.forArea(tile.modelData.title)
                                            size: 16
                                            color: Theme.accent
                                        }
                                    }
                                    ColumnLayout {
                                        Layout.fillWidth: true
                                        spacing: 2
                                        Label {
                                            text: tile.modelData.title
                                            color: Theme.textMuted
                                            font.pixelSize: Theme.fontCaption
                                            font.weight: Font.DemiBold
                                        }
                                        Label {
                                            Layout.fillWidth: true
                                            text: tile.modelData.text
                                            color: Theme.text
                                            font.pixelSize: Theme.fontSmall + 1
                                            wrapMode: Text.WordWrap
                                        }
                                    }
                                }
                            }
                        }
                    }
                    Body {
                        visible: onboarding.examples.length === 0
                        text: "Loading examples…"
                    }
                    Item { Layout.fillHeight: true }
                }

                // -- microphone ---------------------------------------------------------------
                ColumnLayout {
                    objectName: "step_microphone"
                    spacing: 14

                    Badge { icon: onboarding.micState === "none" ? SettingsIcons.micOff : SettingsIcons.mic }
                    Title { text: "Check your microphone" }
                    Body {
                        text: "Press Test and say “Hello Luma”. Nothing is recorded or sent anywhere: Luma only measures how loud it is."
                    }

                    Rectangle {
                        objectName: "levelMeter"
                        visible: onboarding.micState !== "none"
                        Layout.fillWidth: true
                        Layout.topMargin: 6
                        implicitHeight: 64
                        radius: Theme.radius
                        color: Theme.surface
                        border.color: onboarding.micState === "checking" ? Theme.accent : Theme.border
                        Accessible.role: Accessible.ProgressBar
                        Accessible.name: "Microphone level " + Math.round(onboarding.micLevel * 100) + "%"

                        Row {
                            anchors.centerIn: parent
                            spacing: 4
                            Repeater {
                                model: 28
                                delegate: Rectangle {
                                    required property int index
                                    readonly property real shape: 0.35 + 0.65 * Math.abs(Math.sin((index + 1) * 1.7))
                                    readonly property bool lit: index / 28 < onboarding.micLevel
                                    anchors.verticalCenter: parent.verticalCenter
                                    width: 5
                                    height: 6 + (onboarding.micState === "checking" ? 34 * shape * Math.max(0.08, onboarding.micLevel) : 0)
                                    radius: 2.5
                                    color: lit ? Theme.accent : Theme.border
                                    Behavior on height { NumberAnimation { duration: 80 } }
                                }
                            }
                        }
                    }

                    CardButton {
                        objectName: "micTestButton"
                        Layout.alignment: Qt.AlignLeft
                        kind: onboarding.micState === "idle" ? "primary" : "secondary"
                        iconPath: SettingsIcons.mic
                        enabled: onboarding.micState !== "checking"
                        text: onboarding.micState === "checking" ? "Listening…"
                              : onboarding.micState === "idle" ? "Test microphone" : "Test again"
                        accessibleName: text
                        onClicked: onboarding.checkMicrophone()
                    }

                    Rectangle {
                        id: result
                        objectName: "micResult"
                        readonly property color tone: ({
                            ok: Theme.success,
                            quiet: Theme.warning,
                            none: Theme.accent,
                            error: Theme.danger
                        })[onboarding.micState] || Theme.border
                        Layout.fillWidth: true
                        visible: onboarding.micMessage.length > 0
                        implicitHeight: resultRow.implicitHeight + 24
                        radius: Theme.radius
                        color: Qt.rgba(tone.r, tone.g, tone.b, Theme.dark ? 0.14 : 0.08)
                        border.color: Qt.rgba(tone.r, tone.g, tone.b, 0.45)
                        Accessible.role: Accessible.AlertMessage
                        Accessible.name: onboarding.micMessage

                        RowLayout {
                            id: resultRow
                            anchors.left: parent.left
                            anchors.right: parent.right
                            anchors.verticalCenter: parent.verticalCenter
                            anchors.margins: 14
                            spacing: 10
                            Icon {
                                Layout.alignment: Qt.AlignTop
                                path: onboarding.micState === "ok" ? SettingsIcons.check
                                      : onboarding.micState === "none" ? SettingsIcons.micOff : SettingsIcons.alert
                                size: 18
                                color: result.tone
                            }
                            Label {
                                objectName: "micMessage"
                                Layout.fillWidth: true
                                text: onboarding.micMessage
                                color: Theme.text
                                font.pixelSize: Theme.fontSmall + 1
                                wrapMode: Text.WordWrap
                            }
                        }
                    }
                    Item { Layout.fillHeight: true }
                }

                // -- keys -----------------------------------------------------------------------
                ColumnLayout {
                    objectName: "step_keys"
                    spacing: 14

                    Badge { icon: SettingsIcons.key }
                    Title { text: "Add your keys (optional)" }
                    Body {
                        text: "Luma works without them: offline for exact commands, with your computer's voice. Keys unlock Claude's understanding and a natural voice. They go to your computer's keyring, never to a file."
                    }
                    SettingsGroup {
                        Layout.leftMargin: 0
                        Layout.rightMargin: 0
                        Layout.topMargin: 4
                        Repeater {
                            model: keys.keys.filter(entry => entry.name === "ANTHROPIC_API_KEY" || entry.name === "ELEVENLABS_API_KEY")
                            delegate: SettingsKeyRow {
                                required property var modelData
                                required property int index
                                entry: modelData
                                divider: index > 0
                            }
                        }
                    }
                    Item { Layout.fillHeight: true }
                }

                // -- hotkey ---------------------------------------------------------------------
                ColumnLayout {
                    objectName: "step_hotkey"
                    spacing: 14

                    Badge { icon: SettingsIcons.keyboard }
                    Title { text: "Pick your hotkey" }
                    Body {
                        text: "Press it in any app to open Luma; hold it to talk. Pick a suggestion or record your own."
                    }
                    SettingsHotkey {
                        Layout.fillWidth: true
                        Layout.topMargin: 4
                    }
                    Item { Layout.fillHeight: true }
                }

                // -- done -----------------------------------------------------------------------
                ColumnLayout {
                    objectName: "step_done"
                    spacing: 14

                    Badge { icon: SettingsIcons.check; tone: Theme.success }
                    Title { text: "You're all set" }
                    Body {
                        text: "Here is how Luma is set up. Change any of it later in Settings."
                    }
                    Rectangle {
                        Layout.fillWidth: true
                        Layout.topMargin: 4
                        implicitHeight: summary.implicitHeight + 12
                        radius: Theme.radius
                        color: Theme.surface
                        border.color: Theme.border
                        border.width: Theme.dark ? 1 : 0

                        ColumnLayout {
                            id: summary
                            objectName: "summary"
                            anchors.left: parent.left
                            anchors.right: parent.right
                            anchors.top: parent.top
                            anchors.topMargin: 6
                            spacing: 0

                            SummaryRow {
                                icon: SettingsIcons.mic
                                label: "Microphone"
                                value: ({
                                    ok: "Working",
                                    quiet: "Could not hear you",
                                    none: "None found: type instead",
                                    error: "Not working",
                                    checking: "Being tested",
                                    idle: "Not tested"
                                })[onboarding.micState]
                            }
                            SummaryRow {
                                icon: SettingsIcons.brain
                                label: "Brain"
                                value: window.keyEntry("ANTHROPIC_API_KEY").source === "missing" ? "Offline or local model" : "Claude"
                            }
                            SummaryRow {
                                icon: SettingsIcons.voice
                                label: "Voice"
                                value: window.keyEntry("ELEVENLABS_API_KEY").source === "missing" ? "Your computer's voice" : "ElevenLabs"
                            }
                            SummaryRow {
                                icon: SettingsIcons.keyboard
                                label: "Hotkey"
                                value: preferences.hotkey
                                divider: false
                            }
                        }
                    }
                    Item { Layout.fillHeight: true }
                }
            }

            // -- bottom: back and continue ----------------------------------------------------------
            RowLayout {
                Layout.fillWidth: true
                Layout.leftMargin: 28
                Layout.rightMargin: 28
                Layout.topMargin: 8
                Layout.bottomMargin: 24
                spacing: 10

                CardButton {
                    objectName: "backButton"
                    visible: window.step > 0
                    kind: "quiet"
                    iconPath: SettingsIcons.arrowLeft
                    text: "Back"
                    accessibleName: "Back to the previous step (Alt+Left)"
                    onClicked: onboarding.back()
                }
                Item { Layout.fillWidth: true }
                CardButton {
                    objectName: "continueButton"
                    kind: "primary"
                    text: window.last ? "Start using Luma" : window.step === 0 ? "Get started" : "Continue"
                    accessibleName: window.last ? "Finish the setup and start using Luma" : text + " (Alt+Right)"
                    onClicked: window.advance()
                }
            }
        }
    }

    // The round icon at the top of each step.
    component Badge: Rectangle {
        id: badge
        property string icon
        property color tone: Theme.accent
        property bool gradientFill: false
        Layout.preferredWidth: 56
        Layout.preferredHeight: 56
        Layout.topMargin: 8
        radius: 28
        color: gradientFill ? Theme.accent : Qt.rgba(tone.r, tone.g, tone.b, Theme.dark ? 0.2 : 0.12)
        gradient: gradientFill ? badgeGradient : null
        Gradient {
            id: badgeGradient
            GradientStop { position: 0; color: Theme.accent }
            GradientStop { position: 1; color: Qt.lighter(Theme.accent, 1.35) }
        }
        Icon {
            anchors.centerIn: parent
            path: badge.icon
            size: 26
            strokeWidth: 1.7
            color: badge.gradientFill ? Theme.accentText : badge.tone
        }
    }
    component Title: Label {
        Layout.fillWidth: true
        color: Theme.text
        font.pixelSize: Math.round(Theme.fontHeading * 1.45)
        font.weight: Font.Bold
        wrapMode: Text.WordWrap
        Accessible.role: Accessible.Heading
        Accessible.name: text
    }
    component Body: Label {
        Layout.fillWidth: true
        color: Theme.textMuted
        font.pixelSize: Theme.fontBody
        wrapMode: Text.WordWrap
        lineHeight: 1.15
    }
    component SummaryRow: ColumnLayout {
        id: summaryRow
        property string icon
        property string label
        property string value
        property bool divider: true
        Layout.fillWidth: true
        spacing: 0
        Accessible.role: Accessible.StaticText
        Accessible.name: label + ": " + value
        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: 16
            Layout.rightMargin: 16
            Layout.topMargin: 10
            Layout.bottomMargin: 10
            spacing: 12
            Icon {
                path: summaryRow.icon
                size: 17
                color: Theme.accent
            }
            Label {
                Layout.fillWidth: true
                text: summaryRow.label
                color: Theme.textMuted
                font.pixelSize: Theme.fontBody
            }
            Label {
                text: summaryRow.value
                color: Theme.text
                font.pixelSize: Theme.fontBody
                font.weight: Font.DemiBold
            }
        }
        Rectangle {
            Layout.fillWidth: true
            Layout.leftMargin: 16
            Layout.preferredHeight: 1
            visible: summaryRow.divider
            color: Theme.border
            opacity: 0.7
        }
    }
}

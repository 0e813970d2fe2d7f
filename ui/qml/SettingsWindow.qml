import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Window
import "cards"
import "SettingsIcons.js" as SettingsIcons

// The Settings window: sections on the left, the chosen one on the right, Save / Revert at the
// bottom while there are unsaved changes. Layout only: `settingsModel` (settings.toml, saved on
// request), `preferences` (look, hotkey, start at login: applied at once) and `keys` (the OS
// keyring) hold the state. Ctrl+S saves, Esc closes, Up/Down in the list change section.
Window {
    id: window
    objectName: "settingsWindow"
    title: "Luma Settings"
    width: 840
    height: 620
    minimumWidth: 680
    minimumHeight: 480
    color: Theme.background

    property string section: "brain"
    readonly property var sections: [
        { key: "brain", title: "Brain & model", icon: SettingsIcons.brain },
        { key: "keys", title: "Keys", icon: SettingsIcons.key },
        { key: "voice", title: "Voice", icon: SettingsIcons.voice },
        { key: "speech", title: "Speech model", icon: SettingsIcons.speech },
        { key: "hotkey", title: "Hotkey", icon: SettingsIcons.keyboard },
        { key: "workspace", title: "Workspace database", icon: SettingsIcons.database },
        { key: "memory", title: "Memory", icon: SettingsIcons.memory },
        { key: "appearance", title: "Appearance", icon: SettingsIcons.palette },
        { key: "startup", title: "Start at login", icon: SettingsIcons.power }
    ]
    // The settings.toml names each section shows (a section with a wrong value gets a red dot).
    readonly property var sectionSettings: ({
        brain: ["brain", "offline_fast_path", "claude_model", "local_base_url", "local_model"],
        voice: ["voice_enabled", "push_to_talk_mode", "tts_engine", "tts_voice", "tts_rate",
                "elevenlabs_voice_id", "voice_input_device", "voice_output_device"],
        speech: ["stt_model", "stt_device", "stt_compute_type"],
        workspace: ["database_url", "business", "user"],
        memory: ["memory_enabled", "memory_embedder", "memory_server_url"]
    })
    readonly property var problems: Object.keys(settingsModel.errors)
    readonly property int sectionIndex: Math.max(0, sections.findIndex(s => s.key === section))
    readonly property var values: settingsModel.values

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

    function err(name) { return settingsModel.errors[name] || "" }
    function over(name) {
        const variable = settingsModel.overrides[name]
        return variable ? "Set by " + variable + " in the environment, which wins over this value." : ""
    }
    function options(name, labels) {
        return (settingsModel.choices[name] || []).map(v => ({ value: v, label: labels[v] || v }))
    }
    function commitEdits() {
        const item = window.activeFocusItem
        if (item && item.editingFinished !== undefined)
            item.editingFinished()
    }
    function save() {
        commitEdits()
        return settingsModel.save()
    }

    // Keyboard moves in the list replace its binding; keep it on the shown section.
    onSectionIndexChanged: sectionList.currentIndex = sectionIndex
    onVisibleChanged: if (visible) {
        settingsModel.refreshDevices()
        keys.refresh()
    }

    Shortcut {
        sequences: [StandardKey.Save]
        onActivated: window.save()
    }
    Shortcut {
        sequences: ["Esc", StandardKey.Close]
        onActivated: window.close()
    }

    Rectangle {
        objectName: "settingsBackground"
        anchors.fill: parent
        color: Theme.background
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        Rectangle {
            Layout.preferredWidth: 220
            Layout.fillHeight: true
            color: Theme.surface

            ColumnLayout {
                anchors.fill: parent
                anchors.margins: 12
                spacing: 4

                RowLayout {
                    Layout.leftMargin: 8
                    Layout.topMargin: 8
                    Layout.bottomMargin: 12
                    spacing: 10
                    Rectangle {
                        Layout.preferredWidth: 28
                        Layout.preferredHeight: 28
                        radius: 14
                        gradient: Gradient {
                            GradientStop { position: 0; color: Theme.accent }
                            GradientStop { position: 1; color: Qt.lighter(Theme.accent, 1.35) }
                        }
                        Icon {
                            anchors.centerIn: parent
                            path: SettingsIcons.gear
                            size: 16
                            strokeWidth: 1.6
                            color: Theme.accentText
                        }
                    }
                    Label {
                        text: "Settings"
                        color: Theme.text
                        font.pixelSize: Theme.fontHeading
                        font.weight: Font.DemiBold
                    }
                }

                ListView {
                    id: sectionList
                    objectName: "sectionList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    model: window.sections
                    currentIndex: window.sectionIndex
                    spacing: 2
                    focus: true
                    activeFocusOnTab: true
                    keyNavigationEnabled: true
                    boundsBehavior: Flickable.StopAtBounds
                    Accessible.role: Accessible.PageTabList
                    Accessible.name: "Settings sections"
                    // The focus ring shows once the keyboard is used (not on every open).
                    property bool keyboardUsed: false
                    Keys.onPressed: event => { keyboardUsed = true; event.accepted = false }
                    onCurrentIndexChanged: if (currentIndex >= 0) window.section = window.sections[currentIndex].key

                    delegate: AbstractButton {
                        id: entry
                        required property var modelData
                        required property int index
                        readonly property bool current: ListView.isCurrentItem
                        objectName: "section_" + modelData.key
                        width: ListView.view.width
                        implicitHeight: 36
                        text: modelData.title
                        hoverEnabled: true
                        focusPolicy: Qt.NoFocus
                        Accessible.role: Accessible.PageTab
                        Accessible.name: modelData.title
                                         + ((window.sectionSettings[modelData.key] || []).some(name => window.problems.includes(name))
                                            ? " (has a value to fix)" : "")
                        Accessible.selected: current
                        onClicked: window.section = modelData.key

                        contentItem: RowLayout {
                            spacing: 10
                            Icon {
                                Layout.leftMargin: 10
                                path: entry.modelData.icon
                                size: 17
                                color: entry.current ? Theme.accent : Theme.textMuted
                            }
                            Label {
                                Layout.fillWidth: true
                                text: entry.text
                                elide: Text.ElideRight
                                color: entry.current ? Theme.text : Theme.textMuted
                                font.pixelSize: Theme.fontBody
                                font.weight: entry.current ? Font.DemiBold : Font.Normal
                            }
                            Rectangle {
                                objectName: "sectionProblem_" + entry.modelData.key
                                Layout.rightMargin: 10
                                visible: (window.sectionSettings[entry.modelData.key] || [])
                                         .some(name => window.problems.includes(name))
                                width: 7
                                height: 7
                                radius: 4
                                color: Theme.danger
                            }
                        }
                        background: Rectangle {
                            radius: Theme.radiusSmall + 2
                            Rectangle {
                                visible: entry.current
                                x: 0
                                anchors.verticalCenter: parent.verticalCenter
                                width: 3
                                height: 16
                                radius: 1.5
                                color: Theme.accent
                            }
                            color: entry.current ? (Theme.dark ? Theme.surfaceHover : Theme.surfaceRaised)
                                 : entry.hovered ? Theme.surfaceHover : "transparent"
                            border.width: entry.current && sectionList.activeFocus && sectionList.keyboardUsed ? 2 : 0
                            border.color: Theme.focusRing
                        }
                    }
                }

                Label {
                    Layout.fillWidth: true
                    Layout.margins: 8
                    text: "Settings are kept in\n" + settingsModel.filePath
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontCaption
                    wrapMode: Text.WrapAnywhere
                    maximumLineCount: 4
                    elide: Text.ElideMiddle
                }
            }
        }
        Rectangle {
            Layout.preferredWidth: 1
            Layout.fillHeight: true
            color: Theme.border
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            StackLayout {
                id: pages
                objectName: "settingsPages"
                Layout.fillWidth: true
                Layout.fillHeight: true
                currentIndex: window.sectionIndex

                // -- Brain & model ------------------------------------------------------------
                SettingsPage {
                    objectName: "page_brain"
                    title: "Brain & model"
                    subtitle: "How Luma understands what you ask and plans what to do."

                    SettingsGroup {
                        SettingsRow {
                            divider: false
                            label: "Brain"
                            description: ({
                                auto: "Claude when a key is set, else your local model server, else offline.",
                                claude: "Anthropic's Claude: the best understanding. Needs an Anthropic key.",
                                local: "A model on your own server (Ollama, llama.cpp, LM Studio). Nothing leaves your network.",
                                offline: "No model at all: Luma understands exact commands, instantly and privately."
                            })[window.values.brain] || ""
                            error: window.err("brain")
                            note: window.over("brain")
                            SettingsChoice {
                                objectName: "brainChoice"
                                accessibleName: "Brain"
                                options: window.options("brain", { auto: "Automatic", claude: "Claude", local: "Local server", offline: "Offline" })
                                current: window.values.brain
                                onPicked: value => settingsModel.setValue("brain", value)
                            }
                        }
                        SettingsRow {
                            label: "Answer exact commands instantly"
                            description: "Skip the model when a request matches a known command exactly. Saves time and tokens."
                            error: window.err("offline_fast_path")
                            side: SettingsSwitch {
                                text: "Answer exact commands instantly"
                                checked: window.values.offline_fast_path
                                onToggled: settingsModel.setValue("offline_fast_path", checked)
                            }
                        }
                    }
                    SettingsGroup {
                        title: "Claude"
                        SettingsRow {
                            divider: false
                            label: "Model"
                            error: window.err("claude_model")
                            note: window.over("claude_model")
                            SettingsField {
                                objectName: "field_claude_model"
                                Layout.fillWidth: true
                                setting: "claude_model"
                                accessibleName: "Claude model"
                            }
                        }
                    }
                    SettingsGroup {
                        title: "Local model server"
                        SettingsRow {
                            divider: false
                            label: "Server address"
                            description: "An OpenAI-compatible address, ending in /v1."
                            error: window.err("local_base_url")
                            note: window.over("local_base_url")
                            SettingsField {
                                Layout.fillWidth: true
                                setting: "local_base_url"
                                accessibleName: "Local server address"
                            }
                        }
                        SettingsRow {
                            label: "Model name"
                            error: window.err("local_model")
                            note: window.over("local_model")
                            SettingsField {
                                Layout.fillWidth: true
                                setting: "local_model"
                                accessibleName: "Local model name"
                            }
                        }
                    }
                    Item { Layout.preferredHeight: 16 }
                }

                // -- Keys -------------------------------------------------------------------------
                SettingsPage {
                    objectName: "page_keys"
                    title: "Keys"
                    subtitle: "Keys are stored in your computer's keyring, never in a file. Luma never shows them again."

                    SettingsGroup {
                        Repeater {
                            model: keys.keys
                            delegate: SettingsKeyRow {
                                required property var modelData
                                required property int index
                                entry: modelData
                                divider: index > 0
                            }
                        }
                    }
                    Item { Layout.preferredHeight: 16 }
                }

                // -- Voice ------------------------------------------------------------------------
                SettingsPage {
                    objectName: "page_voice"
                    title: "Voice"
                    subtitle: "How Luma listens and speaks."

                    SettingsGroup {
                        SettingsRow {
                            divider: false
                            label: "Voice"
                            description: "Speak answers and offer push-to-talk."
                            note: window.over("voice_enabled")
                            side: SettingsSwitch {
                                objectName: "voiceSwitch"
                                text: "Voice"
                                checked: window.values.voice_enabled
                                onToggled: settingsModel.setValue("voice_enabled", checked)
                            }
                        }
                        SettingsRow {
                            label: "Push-to-talk"
                            description: window.values.push_to_talk_mode === "hold"
                                         ? "Talk while you hold the hotkey or the mic button."
                                         : "Tap to start; Luma stops listening when you pause or tap again."
                            error: window.err("push_to_talk_mode")
                            note: window.over("push_to_talk_mode")
                            SettingsChoice {
                                accessibleName: "Push-to-talk mode"
                                options: window.options("push_to_talk_mode", { hold: "Hold to talk", toggle: "Tap to start and stop" })
                                current: window.values.push_to_talk_mode
                                onPicked: value => settingsModel.setValue("push_to_talk_mode", value)
                            }
                        }
                    }
                    SettingsGroup {
                        title: "Speaking"
                        SettingsRow {
                            divider: false
                            label: "Voice engine"
                            description: "Automatic uses ElevenLabs when its key is set, else your computer's own voice."
                            error: window.err("tts_engine")
                            note: window.over("tts_engine")
                            SettingsChoice {
                                objectName: "ttsChoice"
                                accessibleName: "Voice engine"
                                options: window.options("tts_engine", { auto: "Automatic", elevenlabs: "ElevenLabs", system: "This computer" })
                                current: window.values.tts_engine
                                onPicked: value => settingsModel.setValue("tts_engine", value)
                            }
                        }
                        SettingsRow {
                            label: "Computer voice"
                            description: "A voice name or id of your system; empty for the default."
                            error: window.err("tts_voice")
                            note: window.over("tts_voice")
                            SettingsField {
                                Layout.fillWidth: true
                                setting: "tts_voice"
                                accessibleName: "Computer voice"
                            }
                        }
                        SettingsRow {
                            label: "Speaking rate"
                            description: Math.round(rate.value) + " words a minute"
                            error: window.err("tts_rate")
                            note: window.over("tts_rate")
                            SettingsSlider {
                                id: rate
                                Layout.fillWidth: true
                                text: "Speaking rate, words a minute"
                                from: 80
                                to: 400
                                stepSize: 5
                                value: Number(window.values.tts_rate) || 175
                                onMoved: settingsModel.setValue("tts_rate", Math.round(value))
                            }
                        }
                        SettingsRow {
                            visible: window.values.tts_engine !== "system"
                            label: "ElevenLabs voice id"
                            error: window.err("elevenlabs_voice_id")
                            note: window.over("elevenlabs_voice_id")
                            SettingsField {
                                Layout.fillWidth: true
                                setting: "elevenlabs_voice_id"
                                accessibleName: "ElevenLabs voice id"
                            }
                        }
                    }
                    SettingsGroup {
                        title: "Devices"
                        SettingsRow {
                            divider: false
                            label: "Microphone"
                            error: window.err("voice_input_device")
                            note: window.over("voice_input_device") || settingsModel.devicesNote
                            SettingsCombo {
                                objectName: "inputDevice"
                                Layout.fillWidth: true
                                accessibleName: "Microphone"
                                model: settingsModel.inputDevices.length > 0 ? settingsModel.inputDevices : [{ name: "System default", value: "" }]
                                current: window.values.voice_input_device
                                onPicked: value => settingsModel.setValue("voice_input_device", value)
                            }
                        }
                        SettingsRow {
                            label: "Speaker"
                            error: window.err("voice_output_device")
                            note: window.over("voice_output_device")
                            SettingsCombo {
                                Layout.fillWidth: true
                                accessibleName: "Speaker"
                                model: settingsModel.outputDevices.length > 0 ? settingsModel.outputDevices : [{ name: "System default", value: "" }]
                                current: window.values.voice_output_device
                                onPicked: value => settingsModel.setValue("voice_output_device", value)
                            }
                        }
                    }
                    Item { Layout.preferredHeight: 16 }
                }

                // -- Speech model ---------------------------------------------------------------
                SettingsPage {
                    objectName: "page_speech"
                    title: "Speech model"
                    subtitle: "The model that turns what you say into text. It runs on this computer."

                    SettingsGroup {
                        SettingsRow {
                            divider: false
                            label: "Model"
                            description: "tiny.en ships with Luma and works offline. Another faster-whisper model name or folder must already be on this computer."
                            error: window.err("stt_model")
                            note: window.over("stt_model")
                            SettingsField {
                                objectName: "field_stt_model"
                                Layout.fillWidth: true
                                setting: "stt_model"
                                accessibleName: "Speech model"
                            }
                        }
                        SettingsRow {
                            label: "Run on"
                            description: "A graphics card (CUDA) is faster when there is one."
                            error: window.err("stt_device")
                            note: window.over("stt_device")
                            SettingsChoice {
                                accessibleName: "Run the speech model on"
                                options: [{ value: "cpu", label: "Processor" }, { value: "cuda", label: "Graphics card" }, { value: "auto", label: "Automatic" }]
                                current: window.values.stt_device
                                onPicked: value => settingsModel.setValue("stt_device", value)
                            }
                        }
                        SettingsRow {
                            label: "Precision"
                            description: "int8 is fastest on a processor; float16 suits graphics cards."
                            error: window.err("stt_compute_type")
                            note: window.over("stt_compute_type")
                            SettingsField {
                                Layout.fillWidth: true
                                setting: "stt_compute_type"
                                accessibleName: "Speech model precision"
                            }
                        }
                    }
                    Item { Layout.preferredHeight: 16 }
                }

                // -- Hotkey -----------------------------------------------------------------------
                SettingsPage {
                    objectName: "page_hotkey"
                    title: "Hotkey"
                    subtitle: "One key combination shows or hides Luma from any app; hold it to talk."

                    SettingsGroup {
                        SettingsRow {
                            divider: false
                            label: "Global hotkey"
                            SettingsHotkey {
                                Layout.fillWidth: true
                            }
                        }
                    }
                    Item { Layout.preferredHeight: 16 }
                }

                // -- Workspace database -----------------------------------------------------------
                SettingsPage {
                    objectName: "page_workspace"
                    title: "Workspace database"
                    subtitle: "Where your business data lives. Luma restarts on the new database."

                    SettingsGroup {
                        SettingsRow {
                            divider: false
                            label: "Database address"
                            description: "Empty keeps everything on this computer. For a team, use postgresql+psycopg://user@host/database."
                            error: window.err("database_url")
                            note: window.over("database_url")
                            SettingsField {
                                objectName: "field_database_url"
                                Layout.fillWidth: true
                                setting: "database_url"
                                accessibleName: "Database address"
                            }
                        }
                        SettingsRow {
                            label: "Business"
                            description: "Which business to open when the workspace holds several (its short name)."
                            error: window.err("business")
                            note: window.over("business")
                            SettingsField {
                                Layout.fillWidth: true
                                setting: "business"
                                accessibleName: "Business"
                            }
                        }
                        SettingsRow {
                            label: "Signed in as"
                            description: "The e-mail of the person Luma acts for."
                            error: window.err("user")
                            note: window.over("user")
                            SettingsField {
                                Layout.fillWidth: true
                                setting: "user"
                                accessibleName: "Signed in as (e-mail)"
                            }
                        }
                    }
                    Item { Layout.preferredHeight: 16 }
                }

                // -- Memory -----------------------------------------------------------------------
                SettingsPage {
                    objectName: "page_memory"
                    title: "Memory"
                    subtitle: "Luma can remember your preferences and facts across conversations."

                    SettingsGroup {
                        SettingsRow {
                            divider: false
                            label: "Remember things"
                            description: "Memories stay on this computer unless a team server is set. Ask “what do you remember?” any time."
                            note: window.over("memory_enabled")
                            side: SettingsSwitch {
                                objectName: "memorySwitch"
                                text: "Remember things"
                                checked: window.values.memory_enabled
                                onToggled: settingsModel.setValue("memory_enabled", checked)
                            }
                        }
                        SettingsRow {
                            enabled: window.values.memory_enabled
                            opacity: enabled ? 1 : 0.5
                            label: "How memories are compared"
                            error: window.err("memory_embedder")
                            note: window.over("memory_embedder")
                            SettingsChoice {
                                accessibleName: "Memory embedder"
                                options: window.options("memory_embedder", { minilm: "Built-in", "sentence-transformers": "PyTorch", "chroma-onnx": "Chroma ONNX" })
                                current: window.values.memory_embedder
                                onPicked: value => settingsModel.setValue("memory_embedder", value)
                            }
                        }
                        SettingsRow {
                            enabled: window.values.memory_enabled
                            opacity: enabled ? 1 : 0.5
                            label: "Team memory server"
                            description: "A Chroma server shared by your team; empty keeps memories here."
                            error: window.err("memory_server_url")
                            note: window.over("memory_server_url")
                            SettingsField {
                                Layout.fillWidth: true
                                setting: "memory_server_url"
                                accessibleName: "Team memory server"
                            }
                        }
                    }
                    Item { Layout.preferredHeight: 16 }
                }

                // -- Appearance -------------------------------------------------------------------
                SettingsPage {
                    objectName: "page_appearance"
                    title: "Appearance"
                    subtitle: "These apply at once."

                    SettingsGroup {
                        SettingsRow {
                            divider: false
                            label: "Theme"
                            description: preferences.theme === "system" ? "Follows your computer's light or dark mode." : ""
                            SettingsChoice {
                                objectName: "themeChoice"
                                accessibleName: "Theme"
                                options: [{ value: "system", label: "System" }, { value: "light", label: "Light" }, { value: "dark", label: "Dark" }]
                                current: preferences.theme
                                onPicked: value => preferences.theme = value
                            }
                        }
                        SettingsRow {
                            label: "Text size"
                            description: Math.round(preferences.fontScale * 100) + "%"
                            SettingsSlider {
                                objectName: "fontScaleSlider"
                                Layout.fillWidth: true
                                text: "Text size"
                                from: 0.8
                                to: 2.0
                                stepSize: 0.1
                                snapMode: Slider.SnapAlways
                                value: preferences.fontScale
                                onMoved: preferences.fontScale = value
                            }
                        }
                        SettingsRow {
                            label: "Keep Luma on top"
                            description: "The chat window stays above other windows."
                            side: SettingsSwitch {
                                objectName: "onTopSwitch"
                                text: "Keep Luma on top"
                                checked: preferences.alwaysOnTop
                                onToggled: preferences.alwaysOnTop = checked
                            }
                        }
                    }
                    Item { Layout.preferredHeight: 16 }
                }

                // -- Start at login ---------------------------------------------------------------
                SettingsPage {
                    objectName: "page_startup"
                    title: "Start at login"
                    subtitle: "Have Luma ready in the tray when you sign in."

                    SettingsGroup {
                        SettingsRow {
                            divider: false
                            label: "Start Luma when I log in"
                            description: preferences.startAtLogin ? "Entry: " + preferences.startAtLoginLocation : ""
                            error: preferences.startAtLoginError
                            side: SettingsSwitch {
                                objectName: "loginSwitch"
                                text: "Start Luma when I log in"
                                checked: preferences.startAtLogin
                                onToggled: preferences.startAtLogin = checked
                            }
                        }
                        SettingsRow {
                            label: "Do not disturb"
                            description: "Reminders arrive silently: no speech, no sound."
                            side: SettingsSwitch {
                                objectName: "dndSwitch"
                                text: "Do not disturb"
                                checked: preferences.doNotDisturb
                                onToggled: preferences.doNotDisturb = checked
                            }
                        }
                        SettingsRow {
                            label: "Welcome tour"
                            description: "See what Luma can do, check the microphone and pick a hotkey again."
                            side: CardButton {
                                objectName: "tourButton"
                                text: "Show again"
                                accessibleName: "Show the welcome tour again"
                                onClicked: preferences.showTour()
                            }
                        }
                    }
                    Item { Layout.preferredHeight: 16 }
                }
            }

            Rectangle {
                objectName: "saveBar"
                Layout.fillWidth: true
                Layout.preferredHeight: visible ? 60 : 0
                visible: settingsModel.dirty || settingsModel.message.length > 0 || window.problems.length > 0
                color: Theme.surface

                Rectangle {
                    anchors.top: parent.top
                    width: parent.width
                    height: 1
                    color: Theme.border
                }
                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: 28
                    anchors.rightMargin: 20
                    spacing: 10

                    Icon {
                        readonly property bool ok: settingsModel.messageTone === "success"
                        visible: settingsModel.messageTone.length > 0 || window.problems.length > 0
                        path: ok ? SettingsIcons.check : SettingsIcons.alert
                        size: 16
                        color: ok ? Theme.success : Theme.danger
                    }
                    Label {
                        objectName: "saveMessage"
                        Layout.fillWidth: true
                        text: settingsModel.message.length > 0 ? settingsModel.message
                              : window.problems.length > 0 ? settingsModel.errors[window.problems[0]] + "."
                              : "You have unsaved changes."
                        color: settingsModel.messageTone === "error" || (settingsModel.message.length === 0 && window.problems.length > 0)
                               ? Theme.danger
                               : settingsModel.messageTone === "success" ? Theme.text : Theme.textMuted
                        font.pixelSize: Theme.fontSmall + 1
                        wrapMode: Text.WordWrap
                        maximumLineCount: 2
                        elide: Text.ElideRight
                        Accessible.role: Accessible.AlertMessage
                        Accessible.name: text
                    }
                    CardButton {
                        objectName: "revertButton"
                        visible: settingsModel.dirty
                        kind: "quiet"
                        text: "Revert"
                        accessibleName: "Revert unsaved changes"
                        onClicked: settingsModel.revert()
                    }
                    CardButton {
                        objectName: "saveButton"
                        visible: settingsModel.dirty
                        kind: "primary"
                        text: "Save"
                        accessibleName: "Save settings (Ctrl+S)"
                        onClicked: window.save()
                    }
                }
            }
        }
    }
}

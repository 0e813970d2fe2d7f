.pragma library

// Line icons of the Settings window and the first-run tour (24×24 SVG paths for Icon.qml).

var gear = "M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6z M19.4 13.5l1.6 1.2-2 3.4-1.9-0.7a7.6 7.6 0 0 1-1.9 1.1L14.9 20.5h-3.9l-0.3-2a7.6 7.6 0 0 1-1.9-1.1l-1.9 0.7-2-3.4 1.6-1.2a7.7 7.7 0 0 1 0-2.2L4.9 10.1l2-3.4 1.9 0.7a7.6 7.6 0 0 1 1.9-1.1l0.3-2h3.9l0.3 2a7.6 7.6 0 0 1 1.9 1.1l1.9-0.7 2 3.4-1.6 1.2a7.7 7.7 0 0 1 0 2.2z"
var brain = "M9 4.5a3 3 0 0 0-3 3 3 3 0 0 0-1.5 5.4A3 3 0 0 0 7 18a2.5 2.5 0 0 0 5 0.5V6.5a2 2 0 0 0-3-2z M15 4.5a3 3 0 0 1 3 3 3 3 0 0 1 1.5 5.4A3 3 0 0 1 17 18a2.5 2.5 0 0 1-5 0.5 M12 6.5a2 2 0 0 1 3-2"
var key = "M15 3.5a5.5 5.5 0 0 0-5.2 7.3L3.5 17.1v3.4h3.4v-2h2v-2h2l1.4-1.4A5.5 5.5 0 1 0 15 3.5z M16.5 7.5h0.01"
var voice = "M4 10v4 M8 7v10 M12 4.5v15 M16 8v8 M20 10.5v3"
var speech = "M5 5.5h14v10H10l-4 3.5v-3.5H5z M8.5 9.5h7 M8.5 12h4.5"
var keyboard = "M3.5 6.5h17v11h-17z M7 10h0.5 M10.5 10h0.5 M14 10h0.5 M17 10h0.5 M7 13.5h0.5 M17 13.5h0.5 M10 13.5h4"
var database = "M12 4c4.1 0 7.5 1.3 7.5 3s-3.4 3-7.5 3-7.5-1.3-7.5-3 3.4-3 7.5-3z M4.5 7v10c0 1.7 3.4 3 7.5 3s7.5-1.3 7.5-3V7 M4.5 12c0 1.7 3.4 3 7.5 3s7.5-1.3 7.5-3"
var memory = "M12 3.5a6 6 0 0 0-3.5 10.9V17h7v-2.6A6 6 0 0 0 12 3.5z M9.5 20h5"
var palette = "M12 4a8 8 0 1 0 0 16c1.1 0 1.6-0.8 1.3-1.8-0.4-1.1 0.3-2.2 1.5-2.2H17a3 3 0 0 0 3-3c0-5-3.6-9-8-9z M7.5 11.5h0.5 M10 7.5h0.5 M14.5 7.5h0.5"
var power = "M12 3.5v8 M7.2 6.3a7.5 7.5 0 1 0 9.6 0"
var mic = "M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3z M18.5 11a6.5 6.5 0 0 1-13 0 M12 17.5V21"
var micOff = "M4 4l16 16 M9 9v3a3 3 0 0 0 5.1 2.1 M15 10V6a3 3 0 0 0-5.8-1.1 M18.5 11a6.5 6.5 0 0 1-1 3.5 M5.5 11a6.5 6.5 0 0 0 10.2 5.3 M12 17.5V21"
var check = "M5 12.5l4.5 4.5L19 7.5"
var alert = "M12 4l9 15.5H3z M12 10v4.5 M12 17.2v0.3"
var spark = "M12 3l1.8 5.2L19 10l-5.2 1.8L12 17l-1.8-5.2L5 10l5.2-1.8z M18.5 16l0.7 2 2 0.7-2 0.7-0.7 2-0.7-2-2-0.7 2-0.7z"
var calendar = "M4.5 6.5h15v13h-15z M4.5 10.5h15 M8.5 4v4 M15.5 4v4"
var receipt = "M6 3.5h12v17l-3-2-3 2-3-2-3 2z M9 8h6 M9 11.5h6 M9 15h3.5"
var wallet = "M4 7.5h16v12H4z M4 7.5l12-3.5v3.5 M15.5 12.5h4.5v3h-4.5z"
var bell = "M6 16.5V11a6 6 0 0 1 12 0v5.5l1.5 1.5h-15z M10 20.5h4"
var user = "M12 4.5a3.5 3.5 0 1 0 0 7a3.5 3.5 0 1 0 0-7z M5 20c0.8-3.6 3.6-5.5 7-5.5s6.2 1.9 7 5.5"
var close = "M6 6l12 12 M18 6L6 18"
var arrowRight = "M5 12h14 M13 6l6 6-6 6"
var arrowLeft = "M19 12H5 M11 6l-6 6 6 6"

// The icon of an example area on the welcome page.
function forArea(title) {
    switch (title) {
    case "Your day": return calendar
    case "Bookings": return calendar
    case "Invoices": return receipt
    case "Money": return wallet
    case "Reminders": return bell
    case "Clients": return user
    default: return spark
    }
}

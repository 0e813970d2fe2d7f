import QtQuick
import ".."

// A small trend line of `points` (numbers, oldest first), filled softly underneath.
Canvas {
    id: spark
    property var points: []
    property color lineColor: Theme.accent

    implicitHeight: 44
    antialiasing: true
    Accessible.role: Accessible.Chart
    Accessible.name: points.length > 1
                     ? "Trend from " + points[0].toFixed(2) + " to " + points[points.length - 1].toFixed(2)
                     : "No trend"

    onPointsChanged: requestPaint()
    onLineColorChanged: requestPaint()
    onWidthChanged: requestPaint()
    onHeightChanged: requestPaint()

    onPaint: {
        var ctx = getContext("2d")
        ctx.reset()
        var n = points.length
        if (n < 2 || width <= 0 || height <= 0)
            return
        var low = Math.min.apply(null, points)
        var high = Math.max.apply(null, points)
        var range = high - low || 1
        var pad = 3
        function x(i) { return pad + i * (width - 2 * pad) / (n - 1) }
        function y(v) { return pad + (1 - (v - low) / range) * (height - 2 * pad) }

        ctx.beginPath()
        ctx.moveTo(x(0), height)
        for (var i = 0; i < n; ++i)
            ctx.lineTo(x(i), y(points[i]))
        ctx.lineTo(x(n - 1), height)
        ctx.closePath()
        var fill = ctx.createLinearGradient(0, 0, 0, height)
        fill.addColorStop(0, Qt.alpha(lineColor, 0.22))
        fill.addColorStop(1, Qt.alpha(lineColor, 0))
        ctx.fillStyle = fill
        ctx.fill()

        ctx.beginPath()
        for (var j = 0; j < n; ++j) {
            if (j === 0)
                ctx.moveTo(x(j), y(points[j]))
            else
                ctx.lineTo(x(j), y(points[j]))
        }
        ctx.lineWidth = 2
        ctx.lineJoin = "round"
        ctx.lineCap = "round"
        ctx.strokeStyle = lineColor
        ctx.stroke()

        ctx.beginPath()
        ctx.arc(x(n - 1), y(points[n - 1]), 3, 0, 2 * Math.PI)
        ctx.fillStyle = lineColor
        ctx.fill()
    }
}

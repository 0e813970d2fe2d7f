import QtQuick
import QtQuick.Shapes

// A line icon: `path` from Icons.qml, drawn `size` pixels wide in `color`.
Item {
    id: icon
    property string path
    property color color: Theme.text
    property real size: 18
    property real strokeWidth: 1.8

    implicitWidth: size
    implicitHeight: size
    // Drawn into a small texture: clipped like any image (shape nodes are not clipped by
    // the software renderer) and not re-tessellated on every frame.
    layer.enabled: true
    layer.smooth: true

    Shape {
        width: 24
        height: 24
        scale: icon.size / 24
        transformOrigin: Item.TopLeft
        preferredRendererType: Shape.CurveRenderer
        ShapePath {
            strokeColor: icon.color
            strokeWidth: icon.strokeWidth
            fillColor: "transparent"
            capStyle: ShapePath.RoundCap
            joinStyle: ShapePath.RoundJoin
            PathSvg { path: icon.path }
        }
    }
}

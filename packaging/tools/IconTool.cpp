// Renders the application's SVG icon into what each platform's packaging wants: PNG sizes
// for the freedesktop hicolor theme, a multi-size .ico for Windows and an .icns for macOS.
// Both containers are written by hand (a header, a directory and PNG payloads), since Qt's
// image plugins write only single images.
//
//   orderflow-icontool ICON.svg OUTDIR NAME

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <QtEndian>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {

QByteArray renderPng(QSvgRenderer &renderer, int size)
{
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter, QRectF(0, 0, size, size));
    painter.end();
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return png;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size()) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
        return false;
    }
    return true;
}

template<typename T> void append(QByteArray &out, T value, bool bigEndian)
{
    T stored = bigEndian ? qToBigEndian(value) : qToLittleEndian(value);
    out.append(reinterpret_cast<const char *>(&stored), sizeof stored);
}

// ICONDIR, then one ICONDIRENTRY per image, then the PNG payloads (allowed since Vista).
QByteArray icoFile(QSvgRenderer &renderer, const QList<int> &sizes)
{
    QByteArray header, payloads;
    append<quint16>(header, 0, false);
    append<quint16>(header, 1, false);
    append<quint16>(header, quint16(sizes.size()), false);
    quint32 offset = quint32(6 + 16 * sizes.size());
    for (int size : sizes) {
        const QByteArray png = renderPng(renderer, size);
        header.append(char(size >= 256 ? 0 : size));
        header.append(char(size >= 256 ? 0 : size));
        header.append(char(0));
        header.append(char(0));
        append<quint16>(header, 1, false);
        append<quint16>(header, 32, false);
        append<quint32>(header, quint32(png.size()), false);
        append<quint32>(header, offset, false);
        offset += quint32(png.size());
        payloads += png;
    }
    return header + payloads;
}

// 'icns', total length, then (type, length, PNG) per image; big-endian throughout.
QByteArray icnsFile(QSvgRenderer &renderer)
{
    const QList<std::pair<const char *, int>> types{{"icp4", 16},  {"icp5", 32},  {"icp6", 64},
                                                    {"ic07", 128}, {"ic08", 256}, {"ic09", 512},
                                                    {"ic10", 1024}};
    QByteArray body;
    for (const auto &[type, size] : types) {
        const QByteArray png = renderPng(renderer, size);
        body.append(type, 4);
        append<quint32>(body, quint32(png.size() + 8), true);
        body += png;
    }
    QByteArray file("icns", 4);
    append<quint32>(file, quint32(body.size() + 8), true);
    return file + body;
}

} // namespace

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 4) {
        std::fprintf(stderr, "usage: orderflow-icontool ICON.svg OUTDIR NAME\n");
        return 2;
    }
    QSvgRenderer renderer(args.at(1));
    if (!renderer.isValid()) {
        std::fprintf(stderr, "cannot read %s\n", qPrintable(args.at(1)));
        return 1;
    }
    const QDir out(args.at(2));
    const QString name = args.at(3);
    for (int size : {16, 22, 24, 32, 48, 64, 128, 256, 512}) {
        const QString folder = u"hicolor/%1x%1/apps"_s.arg(size);
        out.mkpath(folder);
        if (!writeFile(out.filePath(folder + u'/' + name + u".png"_s), renderPng(renderer, size)))
            return 1;
    }
    if (!writeFile(out.filePath(name + u".ico"_s), icoFile(renderer, {16, 24, 32, 48, 64, 256})))
        return 1;
    if (!writeFile(out.filePath(name + u".icns"_s), icnsFile(renderer)))
        return 1;
    return 0;
}

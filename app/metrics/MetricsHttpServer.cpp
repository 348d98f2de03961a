#include "MetricsHttpServer.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace {

QByteArray response(const QByteArray &status, const QByteArray &contentType, const QByteArray &body,
                    const QByteArray &extraHeaders = {})
{
    return "HTTP/1.1 " + status + "\r\nContent-Type: " + contentType
            + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n" + extraHeaders
            + "Connection: close\r\n\r\n" + body;
}

QByteArray plainResponse(const QByteArray &status, const QByteArray &extraHeaders = {})
{
    return response(status, "text/plain; charset=utf-8", status + '\n', extraHeaders);
}

// The value of one header (names compare without case) from the lines after the request line.
QByteArray headerValue(const QList<QByteArray> &lines, QByteArrayView name)
{
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

} // namespace

MetricsHttpServer::MetricsHttpServer(Page page, QObject *parent)
    : QObject(parent)
    , m_page(std::move(page))
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &MetricsHttpServer::accept);
}

MetricsHttpServer::~MetricsHttpServer() = default;

bool MetricsHttpServer::listen(const QHostAddress &address, quint16 port)
{
    return m_server->listen(address, port);
}

quint16 MetricsHttpServer::port() const
{
    return m_server->serverPort();
}

QString MetricsHttpServer::errorString() const
{
    return m_server->errorString();
}

void MetricsHttpServer::accept()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        // Too many clients at once: this one is closed unanswered rather than queued.
        if (m_requests.size() >= maxClients) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        m_requests.insert(socket, {});
        connect(socket, &QObject::destroyed, this, [this, socket]() { m_requests.remove(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket]() { read(socket); });
        // A client that never finishes its request is dropped.
        auto *deadline = new QTimer(socket);
        deadline->setSingleShot(true);
        connect(deadline, &QTimer::timeout, socket, [socket]() {
            socket->abort();
            socket->deleteLater();
        });
        deadline->start(requestTimeoutMs);
    }
}

void MetricsHttpServer::read(QTcpSocket *socket)
{
    auto pending = m_requests.find(socket);
    if (pending == m_requests.end())
        return;
    if (pending->answered) {
        socket->readAll(); // a body or a second request: read and ignored
        return;
    }
    QByteArray &request = pending->bytes;
    request += socket->read(maxRequestBytes + 1 - request.size());
    const qsizetype end = request.indexOf("\r\n\r\n");
    if (end < 0) {
        if (request.size() > maxRequestBytes)
            return respond(socket, plainResponse("431 Request Header Fields Too Large"));
        return;
    }
    QList<QByteArray> lines = request.left(end).split('\n');
    for (QByteArray &line : lines)
        line = line.trimmed();
    const QList<QByteArray> requestLine = lines.takeFirst().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1."))
        return respond(socket, plainResponse("400 Bad Request"));
    const QByteArray &method = requestLine.at(0);
    const QByteArray path = requestLine.at(1).split('?').constFirst();
    if (path != "/metrics")
        return respond(socket, plainResponse("404 Not Found"));
    if (method != "GET")
        return respond(socket, plainResponse("405 Method Not Allowed", "Allow: GET\r\n"));
    const MetricsText::Format format = MetricsText::negotiate(headerValue(lines, "Accept"));
    respond(socket, response("200 OK", MetricsText::contentType(format), m_page(format)));
}

void MetricsHttpServer::respond(QTcpSocket *socket, const QByteArray &head)
{
    Request &request = m_requests[socket];
    request.answered = true;
    request.bytes.clear();
    socket->write(head);
    socket->disconnectFromHost();
}

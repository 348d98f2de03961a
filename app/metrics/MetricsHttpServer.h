#pragma once

#include "metrics/MetricsText.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>

#include <functional>

class QTcpServer;
class QTcpSocket;

/// The HTTP side of monitor --listen: GET /metrics answers with what the page function writes,
/// in the format the Accept header asks for; any other path is 404, any other method 405. A
/// minimal HTTP/1.1 server of its own (QTcpServer): it reads the request line and the headers
/// only, at most 8 KiB of them, within 10 seconds, from at most 32 clients at once, answers
/// once and closes, so a slow or malformed client costs a socket and a timer, nothing more.
class MetricsHttpServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsHttpServer)

public:
    /// Writes the page in the format asked for; called once per scrape.
    using Page = std::function<QByteArray(MetricsText::Format)>;

    static constexpr qsizetype maxRequestBytes = 8192;
    static constexpr int requestTimeoutMs = 10000;
    static constexpr int maxClients = 32;

    explicit MetricsHttpServer(Page page, QObject *parent = nullptr);
    ~MetricsHttpServer() override;

    /// Listens on that address only; port 0 takes a free one (port() says which). False with
    /// the reason in errorString() when the address cannot be bound.
    bool listen(const QHostAddress &address, quint16 port);
    quint16 port() const;
    QString errorString() const;

private:
    void accept();
    void read(QTcpSocket *socket);
    void respond(QTcpSocket *socket, const QByteArray &head);

    /// What a client sent so far, until its answer is written.
    struct Request
    {
        QByteArray bytes;
        bool answered = false;
    };

    Page m_page;
    QTcpServer *m_server;
    QHash<QTcpSocket *, Request> m_requests;
};

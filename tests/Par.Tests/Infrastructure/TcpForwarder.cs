using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Par.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay in front of a real server, which a test can cut (every connection reset, new ones refused)
/// and restore: a broker that goes down and comes back, without touching the broker other tests use.
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly ConcurrentDictionary<Socket, byte> _sockets = new();
    private TcpListener _listener;
    private CancellationTokenSource _running = new();

    public TcpForwarder(IPEndPoint target)
    {
        _target = target;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync(_listener, _running.Token);
    }

    public int Port { get; }

    public void Cut()
    {
        _running.Cancel();
        _listener.Stop();
        foreach (var socket in _sockets.Keys)
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        _sockets.Clear();
    }

    public void Restore()
    {
        _running = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _ = AcceptAsync(_listener, _running.Token);
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await listener.AcceptSocketAsync(stop); }
            catch (Exception) { return; }
            var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try { await server.ConnectAsync(_target, stop); }
            catch (Exception) { client.Close(); server.Dispose(); continue; }
            _sockets[client] = 0;
            _sockets[server] = 0;
            _ = PumpAsync(client, server, stop);
            _ = PumpAsync(server, client, stop);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, CancellationToken stop)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, stop);
                if (read == 0) break;
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, stop);
            }
        }
        catch (Exception)
        {
        }
        try { to.Shutdown(SocketShutdown.Both); } catch (Exception) { }
        _sockets.TryRemove(from, out _);
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}

using System.Net;
using System.Net.Sockets;

namespace Herald.Kafka.Embedded;

/// <summary>
/// Forwards a fixed loopback port to the mock broker's kernel-chosen port, so clients outside the process
/// (kcat, another silo) can find the embedded broker at a known address.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    public TcpRelay(int port, IPEndPoint target)
    {
        _target = target;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        var upstream = new TcpClient();
        Task[] copies = [];
        try
        {
            client.NoDelay = upstream.NoDelay = true;
            await upstream.ConnectAsync(_target, _stopping.Token);
            var a = client.GetStream();
            var b = upstream.GetStream();
            copies = [a.CopyToAsync(b, _stopping.Token), b.CopyToAsync(a, _stopping.Token)];
            await Task.WhenAny(copies);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // A peer went away: nothing to relay any more.
        }
        finally
        {
            // When either side closes, close both; the other copy then ends too, and is awaited so its error is observed.
            client.Dispose();
            upstream.Dispose();
            await Task.WhenAll(copies).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener.Stop();
        await _accepting;
    }
}

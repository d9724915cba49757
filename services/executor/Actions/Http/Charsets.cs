using System.Text;

namespace Par.Executor.Actions.Http;

/// <summary>Charset names to encodings, legacy code pages (windows-1252, shift_jis…) included.</summary>
internal static class Charsets
{
    static Charsets() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding? Find(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return null;
        try
        {
            return Encoding.GetEncoding(name.Trim().Trim('"'));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}

using System.Reflection;
using System.Runtime.CompilerServices;
using Herald.Client;
using Herald.Contracts;

namespace Herald.Tests.Client;

/// <summary>
/// The SDK's public API is a checked-in listing (<c>PublicAPI.txt</c> beside each project): a change to it fails here until the
/// listing is updated on purpose (<c>HERALD_ACCEPT_API=1 ./test.sh</c>), so it shows in review.
/// </summary>
public sealed class PublicApiTests
{
    [Theory]
    [InlineData("Client/Herald.Client/PublicAPI.txt", typeof(HeraldClient))]
    [InlineData("Contracts/PublicAPI.txt", typeof(DocumentRecord))]
    public void The_public_api_is_the_listed_one(string listing, Type anchor)
    {
        var path = Path.Combine(Repository.Root(), listing);
        var actual = Describe(anchor.Assembly);
        if (Environment.GetEnvironmentVariable("HERALD_ACCEPT_API") == "1") File.WriteAllLines(path, actual);
        var expected = File.Exists(path) ? File.ReadAllLines(path) : [];

        var added = actual.Except(expected).ToList();
        var removed = expected.Except(actual).ToList();
        Assert.True(added.Count == 0 && removed.Count == 0,
            $"the public API of {anchor.Assembly.GetName().Name} differs from {listing} (accept with HERALD_ACCEPT_API=1):\n" +
            string.Join("\n", added.Select(a => "+ " + a).Concat(removed.Select(r => "- " + r))));
    }

    [Fact]
    public void Only_the_api_is_public()
    {
        // Everything a user does not program against stays internal.
        var client = typeof(HeraldClient).Assembly.GetExportedTypes().Select(t => t.Name).ToHashSet();
        Assert.DoesNotContain("CentralTopicWatch", client);
        Assert.DoesNotContain("HeraldClientOptionsValidator", client);
        Assert.DoesNotContain("HeraldRequestJson", client);
    }

    private static List<string> Describe(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            lines.Add($"{Kind(type)} {Name(type)}{Bases(type)}");
            const BindingFlags declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            var members = type.GetMembers(declared).Where(Visible).Where(m => m.GetCustomAttribute<CompilerGeneratedAttribute>() is null || m is PropertyInfo)
                .Select(m => $"  {Member(m)}").Where(m => m.Length > 2).Order(StringComparer.Ordinal);
            lines.AddRange(members);
        }
        return lines;
    }

    private static bool Visible(MemberInfo member) => member switch
    {
        MethodBase m => (m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly) && !m.IsSpecialName || m is ConstructorInfo { IsPublic: true },
        FieldInfo f => f.IsPublic || f.IsFamily,
        PropertyInfo p => p.GetMethod is { } g && (g.IsPublic || g.IsFamily),
        EventInfo e => e.AddMethod?.IsPublic == true,
        Type t => false, // nested types are listed as types
        _ => false,
    };

    private static string Member(MemberInfo member) => member switch
    {
        ConstructorInfo c => $"{(c.IsStatic ? "static " : "")}.ctor({Parameters(c)})",
        MethodInfo m => $"{(m.IsStatic ? "static " : "")}{Name(m.ReturnType)} {m.Name}{Generic(m)}({Parameters(m)})",
        PropertyInfo p => $"{(p.GetMethod!.IsStatic ? "static " : "")}{Name(p.PropertyType)} {p.Name} {{ get;{Setter(p)} }}",
        FieldInfo f => f.IsLiteral ? $"const {Name(f.FieldType)} {f.Name} = {f.GetRawConstantValue()}" : $"{(f.IsStatic ? "static " : "")}{(f.IsInitOnly ? "readonly " : "")}{Name(f.FieldType)} {f.Name}",
        EventInfo e => $"event {Name(e.EventHandlerType!)} {e.Name}",
        _ => "",
    };

    private static string Setter(PropertyInfo p) => p.SetMethod is { IsPublic: true } set
        ? set.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit") ? " init;" : " set;"
        : "";

    private static string Generic(MethodInfo m) => m.IsGenericMethodDefinition ? $"<{string.Join(", ", m.GetGenericArguments().Select(a => a.Name))}>" : "";

    private static string Parameters(MethodBase method) => string.Join(", ", method.GetParameters().Select(p =>
        $"{(p.IsOut ? "out " : p.ParameterType.IsByRef ? "ref " : "")}{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? $" = {p.DefaultValue ?? "null"}" : "")}"));

    private static string Kind(Type type) =>
        type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct" : typeof(Delegate).IsAssignableFrom(type) ? "delegate"
        : type is { IsAbstract: true, IsSealed: true } ? "static class" : type.GetMethod("<Clone>$") is not null ? "record" : type.IsSealed ? "sealed class" : "class";

    private static string Bases(Type type)
    {
        if (type.IsEnum) return $" : {string.Join(", ", Enum.GetNames(type))}";
        var bases = new[] { type.BaseType }.Where(b => b is not null && b != typeof(object) && b != typeof(ValueType)).Select(b => Name(b!))
            .Concat(type.GetInterfaces().Where(i => i.IsPublic && !i.Name.StartsWith("IEquatable")).Select(Name).Order(StringComparer.Ordinal)).ToList();
        return bases.Count == 0 ? "" : " : " + string.Join(", ", bases);
    }

    private static string Name(Type type)
    {
        if (type.IsByRef) return Name(type.GetElementType()!);
        if (Nullable.GetUnderlyingType(type) is { } underlying) return Name(underlying) + "?";
        if (type.IsArray) return Name(type.GetElementType()!) + "[]";
        if (type.IsGenericParameter) return type.Name;
        var name = type.IsNested ? $"{Name(type.DeclaringType!)}.{type.Name}" : $"{type.Namespace}.{type.Name}";
        if (!type.IsGenericType) return name;
        return $"{name[..name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>";
    }
}

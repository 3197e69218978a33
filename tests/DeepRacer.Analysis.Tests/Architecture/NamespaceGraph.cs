using Mono.Collections.Generic;
using Mono.Cecil;

namespace DeepRacer.Analysis.Tests.Architecture;

/// <summary>
/// Which namespaces each namespace of a compiled assembly uses, read from its metadata and IL with Mono.Cecil (the
/// reader NetArchTest is built on): base types, interfaces, attributes, fields, signatures, locals and every type,
/// method and field an instruction names. Nested and compiler-generated types count for the namespace they sit in.
/// </summary>
internal sealed class NamespaceGraph
{
    private readonly Dictionary<string, HashSet<string>> _edges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _why = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _typeUses = new(StringComparer.Ordinal);

    private NamespaceGraph()
    {
    }

    /// <summary>Namespace of the assembly → namespaces it uses (its own and others'; external ones included).</summary>
    public IReadOnlyDictionary<string, HashSet<string>> Edges => _edges;

    /// <summary>Reads the namespaces of one or more assemblies into one graph (the library's layers span its packages).</summary>
    public static NamespaceGraph Read(IEnumerable<string> assemblyPaths, string rootNamespace)
    {
        var graph = new NamespaceGraph();
        foreach (var path in assemblyPaths)
        {
            graph.Add(path, rootNamespace);
        }

        return graph;
    }

    private void Add(string assemblyPath, string rootNamespace)
    {
        var graph = this;
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        foreach (var type in module.GetTypes())
        {
            var from = OwnNamespace(type);
            if (from != rootNamespace && !from.StartsWith(rootNamespace + ".", StringComparison.Ordinal))
            {
                continue; // compiler-emitted attributes and <PrivateImplementationDetails>
            }

            graph._edges.TryAdd(from, []);
            var visitor = new Visitor(graph, from, type.FullName);
            visitor.Visit(type.BaseType);
            foreach (var i in type.Interfaces)
            {
                visitor.Visit(i.InterfaceType);
            }

            visitor.Visit(type.CustomAttributes);
            visitor.Visit(type.GenericParameters);
            foreach (var field in type.Fields)
            {
                visitor.Visit(field.FieldType);
                visitor.Visit(field.CustomAttributes);
            }

            foreach (var property in type.Properties)
            {
                visitor.Visit(property.PropertyType);
                visitor.Visit(property.CustomAttributes);
            }

            foreach (var e in type.Events)
            {
                visitor.Visit(e.EventType);
            }

            foreach (var method in type.Methods)
            {
                visitor.Visit((MethodReference)method);
                visitor.Visit(method.CustomAttributes);
                visitor.Visit(method.GenericParameters);
                if (!method.HasBody)
                {
                    continue;
                }

                foreach (var variable in method.Body.Variables)
                {
                    visitor.Visit(variable.VariableType);
                }

                foreach (var handler in method.Body.ExceptionHandlers)
                {
                    visitor.Visit(handler.CatchType);
                }

                foreach (var instruction in method.Body.Instructions)
                {
                    switch (instruction.Operand)
                    {
                        case TypeReference t: visitor.Visit(t); break;
                        case MethodReference m: visitor.Visit(m); break;
                        case FieldReference f: visitor.Visit(f.DeclaringType); visitor.Visit(f.FieldType); break;
                        case CallSite c: visitor.Visit(c.ReturnType); break;
                    }
                }
            }
        }
    }

    /// <summary>Each top-level type of the assembly (full name) → the full names of the top-level types it uses.</summary>
    public IReadOnlyDictionary<string, HashSet<string>> TypeUses => _typeUses;

    /// <summary>The namespaces <paramref name="from"/> uses, other than itself.</summary>
    public IEnumerable<string> Uses(string from) =>
        _edges.TryGetValue(from, out var to) ? to.Where(t => t != from).Order(StringComparer.Ordinal) : [];

    /// <summary>One example type that makes the edge, for failure messages.</summary>
    public string Why(string from, string to) =>
        _why.TryGetValue(from + " -> " + to, out var types) ? string.Join(", ", types.Order(StringComparer.Ordinal).Take(3)) : "";

    /// <summary>Every cycle among the assembly's own namespaces, as strongly connected components of more than one namespace.</summary>
    public List<List<string>> Cycles()
    {
        var own = _edges.Keys.ToHashSet(StringComparer.Ordinal);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<List<string>>();
        var counter = 0;

        void Connect(string v)
        {
            index[v] = low[v] = counter++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in Uses(v).Where(own.Contains))
            {
                if (!index.ContainsKey(w))
                {
                    Connect(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    result.Add(component);
                }
            }
        }

        foreach (var v in own.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(v))
            {
                Connect(v);
            }
        }

        return result;
    }

    private static string OwnNamespace(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type.Namespace;
    }

    private sealed class Visitor(NamespaceGraph graph, string from, string typeName)
    {
        private readonly HashSet<MemberReference> _seen = [];

        public void Visit(Collection<CustomAttribute> attributes)
        {
            foreach (var a in attributes)
            {
                Visit(a.AttributeType);
            }
        }

        public void Visit(Collection<GenericParameter> parameters)
        {
            foreach (var p in parameters)
            {
                foreach (var c in p.Constraints)
                {
                    Visit(c.ConstraintType);
                }
            }
        }

        public void Visit(MethodReference? method)
        {
            if (method is null || !_seen.Add(method))
            {
                return;
            }

            Visit(method.DeclaringType);
            Visit(method.ReturnType);
            foreach (var p in method.Parameters)
            {
                Visit(p.ParameterType);
            }

            if (method is GenericInstanceMethod generic)
            {
                foreach (var a in generic.GenericArguments)
                {
                    Visit(a);
                }
            }
        }

        public void Visit(TypeReference? type)
        {
            switch (type)
            {
                case null or GenericParameter:
                    return;
                case GenericInstanceType generic:
                    Visit(generic.ElementType);
                    foreach (var a in generic.GenericArguments)
                    {
                        Visit(a);
                    }

                    return;
                case TypeSpecification spec: // arrays, by-ref, pointers, modifiers
                    Visit(spec.ElementType);
                    return;
            }

            var to = OwnNamespace(type);
            if (to.Length == 0)
            {
                return;
            }

            graph._edges[from].Add(to);
            var top = type;
            while (top.DeclaringType is not null)
            {
                top = top.DeclaringType;
            }

            var user = typeName.Split('/')[0];
            if (!graph._typeUses.TryGetValue(user, out var uses))
            {
                graph._typeUses[user] = uses = new HashSet<string>(StringComparer.Ordinal);
            }

            uses.Add(top.FullName);
            var key = from + " -> " + to;
            if (!graph._why.TryGetValue(key, out var types))
            {
                graph._why[key] = types = new HashSet<string>(StringComparer.Ordinal);
            }

            if (types.Count < 3)
            {
                types.Add(typeName.Split('/')[0]);
            }
        }
    }
}
